/// One entry of a step funnel: the probability that a user who completed the steps before `step` completes it too.
///
/// A funnel is a list of these (written as a mapping `{step: probability}`), on a persona (for every flow with
/// those steps) or on a flow (overriding the persona's entries for its steps). Steps not listed continue with
/// probability 1. See README, "Step funnels".
public struct StepContinuation: Sendable, Equatable {
    /// A step of the flow (of some flow of the persona, for a persona's funnel).
    public var step: String
    /// In [0, 1].
    public var probability: Double

    public init(step: String, probability: Double) {
        self.step = step
        self.probability = probability
    }
}

/// When a persona's retention and upgrade outcomes are recorded (README, "Outcome structure and delays"). An
/// outcome without a delay is recorded exactly 30 days after signup.
public struct OutcomeDelays: Sendable, Equatable {
    public var retention: OutcomeDelay?
    public var upgrade: OutcomeDelay?

    public init(retention: OutcomeDelay? = nil, upgrade: OutcomeDelay? = nil) {
        self.retention = retention
        self.upgrade = upgrade
    }
}

/// The delay in days from signup to an outcome's record: a distribution parameterised by its median, truncated at
/// `maxDays`. Equality ignores `sigma` unless both are lognormal.
public struct OutcomeDelay: Sendable, Equatable {
    /// Default `fixed`.
    public var distribution: Distribution
    /// Greater than 0 (at most `maxDays` for `fixed`); default 30.
    public var medianDays: Double
    /// Lognormal shape, in [0, 10]; default 0.8; unused by the other distributions.
    public var sigma: Double
    /// Upper truncation, in days, greater than 0; default 90.
    public var maxDays: Double

    public init(distribution: Distribution = .fixed, medianDays: Double = 30, sigma: Double = 0.8, maxDays: Double = 90)
    {
        self.distribution = distribution
        self.medianDays = medianDays
        self.sigma = sigma
        self.maxDays = maxDays
    }

    public static func == (lhs: OutcomeDelay, rhs: OutcomeDelay) -> Bool {
        lhs.distribution == rhs.distribution && lhs.medianDays == rhs.medianDays && lhs.maxDays == rhs.maxDays
            && (lhs.distribution != .lognormal || lhs.sigma == rhs.sigma)
    }
}
