/// The laws of SPEC §1.7.
public struct GovernanceBlock: Sendable, Equatable {
    /// Upper bound of the effective ε, in [0, 1]; default 0.3.
    public var maxEpsilon: Double
    /// No pattern with a smaller sample becomes champion; ≥ 1; default 30.
    public var minChampionSample: Int
    /// Absolute win-score drop that blocks an election (rollback) or raises an alert, in [0, 1]; default 0.10.
    public var maxWinScoreDegradation: Double

    public init(maxEpsilon: Double = 0.3, minChampionSample: Int = 30, maxWinScoreDegradation: Double = 0.10) {
        self.maxEpsilon = maxEpsilon
        self.minChampionSample = minChampionSample
        self.maxWinScoreDegradation = maxWinScoreDegradation
    }
}
