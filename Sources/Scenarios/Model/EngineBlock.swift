/// Every engine setting (SPEC §1.3–1.5, §1.8); the defaults are the seed's.
public struct EngineBlock: Sendable, Equatable {
    /// One of `EngineBlock.policies`; default `seed-epsilon-greedy`.
    public var policy: String
    /// Exploration rate, in [0, 1] (clamped by `governance.maxEpsilon` at run time); default 0.2.
    public var epsilon: Double
    /// ≥ 1; default 30. The effective minimum is max(this, governance.minChampionSample).
    public var minChampionSample: Int
    /// Learning window, ≥ 1 day; default 30.
    public var windowDays: Int
    /// true (seed): users too young to have an outcome count as "not activated"/"not retained".
    public var countImmature: Bool
    public var weights: Weights
    /// H in the speed bonus, greater than 0 minutes; default 1440.
    public var speedHorizonMinutes: Double
    public var explorationPriority: ExplorationPriority
    /// One of `EngineBlock.stalePatternsOptions`; default `keep`.
    public var stalePatterns: String
    /// Share of nights whose learning job fails (fault injection), in [0, 1]; default 0.
    public var jobFailureRate: Double
    /// Share of users kept on the v3 default (mode `holdback`), in [0, 1]; default 0.
    public var holdback: Double
    /// Length of the `ab-test` policy's test in days, 1…3650; default 28 (ignored by the other policies).
    public var abTestDays: Int

    /// The assignment policies of SPEC §1.5.
    /// `ab-test` and `v3-default` are the baselines a product team knows (an A/B test; no learning).
    public static let policies = ["seed-epsilon-greedy", "epsilon-greedy", "thompson", "ucb1", "ab-test", "v3-default"]
    /// The accepted `ab_test_days`.
    public static let abTestDaysRange = 1...3650
    /// What happens to patterns absent from tonight's window.
    public static let stalePatternsOptions = ["keep", "drop_from_election"]

    public init(
        policy: String = "seed-epsilon-greedy",
        epsilon: Double = 0.2,
        minChampionSample: Int = 30,
        windowDays: Int = 30,
        countImmature: Bool = true,
        weights: Weights = Weights(),
        speedHorizonMinutes: Double = 1440,
        explorationPriority: ExplorationPriority = ExplorationPriority(),
        stalePatterns: String = "keep",
        jobFailureRate: Double = 0,
        holdback: Double = 0,
        abTestDays: Int = 28
    ) {
        self.policy = policy
        self.epsilon = epsilon
        self.minChampionSample = minChampionSample
        self.windowDays = windowDays
        self.countImmature = countImmature
        self.weights = weights
        self.speedHorizonMinutes = speedHorizonMinutes
        self.explorationPriority = explorationPriority
        self.stalePatterns = stalePatterns
        self.jobFailureRate = jobFailureRate
        self.holdback = holdback
        self.abTestDays = abTestDays
    }
}

/// Win-score weights (SPEC §1.3): each ≥ 0 and not all zero. YAML keys `activation_7d`, `retention_30d`, `speed`.
public struct Weights: Sendable, Equatable {
    public var activation7d: Double
    public var retention30d: Double
    public var speed: Double

    public init(activation7d: Double = 0.5, retention30d: Double = 0.3, speed: Double = 0.2) {
        self.activation7d = activation7d
        self.retention30d = retention30d
        self.speed = speed
    }
}

/// Exploration priority by sample size (SPEC §1.4): `below10` when sample < `lowThreshold`, `below30` when
/// sample < `highThreshold`, else `otherwise`. Priorities ≥ 0; thresholds ≥ 0 with low ≤ high.
///
/// YAML keys `below_10`, `below_30`, `otherwise` and `thresholds: {low: 10, high: 30}` (the names keep the seed's
/// thresholds even when these are changed).
public struct ExplorationPriority: Sendable, Equatable {
    public var below10: Double
    public var below30: Double
    public var otherwise: Double
    public var lowThreshold: Int
    public var highThreshold: Int

    public init(
        below10: Double = 1.0,
        below30: Double = 0.5,
        otherwise: Double = 0.1,
        lowThreshold: Int = 10,
        highThreshold: Int = 30
    ) {
        self.below10 = below10
        self.below30 = below30
        self.otherwise = otherwise
        self.lowThreshold = lowThreshold
        self.highThreshold = highThreshold
    }
}
