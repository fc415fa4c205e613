/// The outcome of one hypothesis test, in the shape the lab's comparison tables use.
///
/// Every number is finite for valid input; each test documents what it returns in degenerate cases.
public struct TestResult: Sendable, Equatable, Hashable, Codable {
    /// A stable machine name: one of the constants in ``TestResult/Name``.
    public var test: String
    /// The number of pairs for paired tests; the total number of observations for two-sample tests; the total
    /// observed count for goodness of fit.
    public var n: Int
    /// The test statistic; each test documents which one.
    public var statistic: Double
    /// The p-value, two-sided unless the test says otherwise, in [0, 1].
    public var pValue: Double
    /// The effect estimate; each test documents which one (always in the direction x − y).
    public var estimate: Double
    /// A confidence interval for `estimate` when the method provides one.
    public var interval: Interval?
    /// Human-readable method, e.g. "exact" or "normal approximation with tie and continuity correction".
    public var method: String

    public init(
        test: String, n: Int, statistic: Double, pValue: Double, estimate: Double, interval: Interval?,
        method: String
    ) {
        self.test = test
        self.n = n
        self.statistic = statistic
        self.pValue = pValue
        self.estimate = estimate
        self.interval = interval
        self.method = method
    }
}

extension TestResult {
    /// The stable machine names written to the `test` column of the lab's CSV files.
    public enum Name {
        public static let pairedT = "paired_t"
        public static let welchT = "welch_t"
        public static let wilcoxonSignedRank = "wilcoxon_signed_rank"
        public static let mannWhitneyU = "mann_whitney_u"
        public static let mcnemar = "mcnemar"
        public static let chiSquareGoodnessOfFit = "chi_square_gof"
    }
}
