import Stochastics
import Testing

@Suite("Effect sizes")
struct EffectSizesTests {
    /// Reference: NumPy 2.4.6, `d = np.subtract(x, y); np.mean(d) / np.std(d, ddof=1)` on the paired t-test data.
    /// Tolerance 1e-12 relative.
    @Test func pairedCohensDMatchesNumPy() throws {
        let d = try EffectSizes.pairedCohensD(TTestTests.x, TTestTests.y)
        expectClose(d, 1.2977677035171278, rel: 1e-12, "d_z")
        // d_z = t/√n, with t from scipy's ttest_rel (4.495599197827298) and n = 12.
        expectClose(d, 4.495599197827298 / 12.0.squareRoot(), rel: 1e-12, "t/√n")
    }

    /// Documented degenerate cases (exact).
    @Test func pairedCohensDDegenerateCases() throws {
        #expect(try EffectSizes.pairedCohensD([1, 2, 3], [1, 2, 3]) == 0)
        #expect(try EffectSizes.pairedCohensD([2, 3, 4], [1, 2, 3]) == .greatestFiniteMagnitude)
        #expect(throws: StatisticsError.self) { try EffectSizes.pairedCohensD([1], [1]) }
        #expect(throws: StatisticsError.self) { try EffectSizes.pairedCohensD([1, 2], [1]) }
        #expect(throws: StatisticsError.self) { try EffectSizes.pairedCohensD([], []) }
    }

    /// (k₁, n₁, k₂, n₂, estimate, lower, upper) from the Python closed form, scipy 1.17.1:
    /// ```python
    /// def indep(k1,n1,k2,n2,level=.95):   # wilson() as in CountTestTests
    ///     p1=k1/n1; p2=k2/n2; l1,u1=wilson(k1,n1,level); l2,u2=wilson(k2,n2,level); t=p1-p2
    ///     return t, max(-1, t-np.sqrt((p1-l1)**2+(u2-p2)**2)), min(1, t+np.sqrt((u1-p1)**2+(p2-l2)**2))
    /// ```
    static let newcombeCases: [(Int, Int, Int, Int, Double, Double, Double)] = [
        (56, 70, 48, 80, 0.20000000000000007, 0.052431472402365065, 0.333872654036906),
        (9, 10, 3, 10, 0.6000000000000001, 0.17052272393450302, 0.8090179735354881),
        (6, 7, 2, 7, 0.5714285714285714, 0.0582279274823122, 0.8062496375242277),
        (5, 56, 0, 29, 0.08928571428571429, -0.03813714790353688, 0.19256001385511162),
        (0, 10, 0, 20, 0.0, -0.16112515805281938, 0.2775327998628892),
        (0, 10, 0, 10, 0.0, -0.2775327998628892, 0.2775327998628892),
        (10, 10, 0, 20, 1.0, 0.6790860371419147, 1.0),
        (10, 10, 0, 10, 1.0, 0.6075093504305242, 1.0),
    ]

    /// Tolerance 1e-9 relative (1e-12 on the estimate).
    @Test func differenceOfProportionsMatchesClosedForm() throws {
        for (k1, n1, k2, n2, estimate, lower, upper) in Self.newcombeCases {
            let result = try EffectSizes.differenceOfProportions(
                successes1: k1, trials1: n1, successes2: k2, trials2: n2)
            expectClose(result.estimate, estimate, rel: 1e-12, "\(k1)/\(n1) − \(k2)/\(n2)")
            expectInterval(result.interval, lower, upper, rel: 1e-9, "\(k1)/\(n1) − \(k2)/\(n2)")
        }
        // level 0.9: indep(30, 120, 18, 110, .9)
        let ninety = try EffectSizes.differenceOfProportions(
            successes1: 30, trials1: 120, successes2: 18, trials2: 110, level: 0.9)
        expectClose(ninety.estimate, 0.08636363636363636, rel: 1e-12, "90% estimate")
        expectInterval(ninety.interval, -0.0021465895199764135, 0.17231370686407216, rel: 1e-9, "90% interval")
    }

    /// Published check: the worked examples of Newcombe, "Interval estimation for the difference between
    /// independent proportions: comparison of eleven methods", *Statistics in Medicine* 17 (1998) 873–890,
    /// method 10, printed to 4 decimals; tolerance 0.5e-4 absolute (the table's rounding).
    @Test func differenceOfProportionsMatchesNewcombeExamples() throws {
        let table: [(Int, Int, Int, Int, Double, Double)] = [
            (56, 70, 48, 80, 0.0524, 0.3339), (9, 10, 3, 10, 0.1705, 0.8090), (5, 56, 0, 29, -0.0381, 0.1926),
            (0, 10, 0, 20, -0.1611, 0.2775), (0, 10, 0, 10, -0.2775, 0.2775), (10, 10, 0, 20, 0.6791, 1.0000),
            (10, 10, 0, 10, 0.6075, 1.0000),
        ]
        for (k1, n1, k2, n2, lower, upper) in table {
            let interval = try EffectSizes.differenceOfProportions(
                successes1: k1, trials1: n1, successes2: k2, trials2: n2
            ).interval
            expectWithin(interval.lower, lower, absolute: 0.5e-4, "\(k1)/\(n1) − \(k2)/\(n2) lower")
            expectWithin(interval.upper, upper, absolute: 0.5e-4, "\(k1)/\(n1) − \(k2)/\(n2) upper")
        }
    }

    @Test func differenceOfProportionsRejectsInvalidCounts() {
        #expect(throws: StatisticsError.self) {
            try EffectSizes.differenceOfProportions(successes1: 1, trials1: 0, successes2: 0, trials2: 1)
        }
        #expect(throws: StatisticsError.self) {
            try EffectSizes.differenceOfProportions(successes1: 1, trials1: 2, successes2: 3, trials2: 2)
        }
        #expect(throws: StatisticsError.self) {
            try EffectSizes.differenceOfProportions(
                successes1: 1, trials1: 2, successes2: 1, trials2: 2, level: 1)
        }
    }
}
