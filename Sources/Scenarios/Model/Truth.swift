/// How users behave on a flow: the simulator's ground truth, unknown to the engine.
public struct Truth: Sendable, Equatable {
    /// P(activated within 7 days), in [0, 1].
    public var activation7d: Double
    public var retention30d: Retention
    /// P(upgrade), flat or conditional; default 0.
    public var upgrade: Upgrade
    /// Time from signup to activation, given activation within 7 days.
    public var timeToFirstWin: TimeToWin
    /// How much users of the persona vary around the flow's activation and retention rates (none by default).
    public var spread: RateSpread

    public init(
        activation7d: Double,
        retention30d: Retention,
        upgrade: Upgrade = .flat(0),
        timeToFirstWin: TimeToWin = TimeToWin(),
        spread: RateSpread = RateSpread()
    ) {
        self.activation7d = activation7d
        self.retention30d = retention30d
        self.upgrade = upgrade
        self.timeToFirstWin = timeToFirstWin
        self.spread = spread
    }

    /// This truth with the fields the patch sets replaced.
    public func applying(_ patch: TruthPatch) -> Truth {
        Truth(
            activation7d: patch.activation7d ?? activation7d,
            retention30d: patch.retention30d ?? retention30d,
            upgrade: patch.upgrade ?? upgrade,
            timeToFirstWin: patch.timeToFirstWin ?? timeToFirstWin, spread: spread)
    }
}

/// Heterogeneity within a persona: each user's own rate is drawn from a Beta distribution with the flow's rate as
/// its mean and this concentration (α = mean·c, β = (1 − mean)·c; variance mean·(1 − mean)/(c + 1)). In a file:
/// `activation_7d: {mean: 0.7, concentration: 20}`, `retention_30d: {mean: 0.4, concentration: 10}` or
/// `retention_30d: {if_activated: 0.6, if_not: 0.2, concentration: 10}`.
///
/// One latent uniform per user and rate drives the user's rate under every flow (the Beta quantile at that
/// uniform), so a user who is an eager activator under one flow is one under all of them and configurations stay
/// paired. The true score and the oracle use the mean. `nil` (the default) or `.inf` means every user has the
/// flow's rate; drifts change the mean and keep the concentration.
public struct RateSpread: Sendable, Equatable {
    /// Greater than 0 (`.inf` allowed); nil: no spread.
    public var activation: Double?
    public var retention: Double?

    public init(activation: Double? = nil, retention: Double? = nil) {
        self.activation = activation
        self.retention = retention
    }

    public var isEmpty: Bool { activation == nil && retention == nil }
}

/// P(retained at day 30): one probability, or one for activated users and one for the others. All in [0, 1].
public enum Retention: Sendable, Equatable {
    case flat(Double)
    case conditional(ifActivated: Double, ifNot: Double)
}

/// P(upgrade): one probability, or one for retained users and one for the others, or one for activated users and
/// one for the others. All in [0, 1]. A number literal is a flat probability.
public enum Upgrade: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case flat(Double)
    case ifRetained(yes: Double, no: Double)
    case ifActivated(yes: Double, no: Double)

    public init(floatLiteral value: Double) { self = .flat(value) }
    public init(integerLiteral value: Int) { self = .flat(Double(value)) }

    /// The probability of a flat upgrade; nil for a conditional one.
    public var flat: Double? {
        if case .flat(let p) = self { return p }
        return nil
    }
}

/// The distribution of the time to first win, truncated at 7 days (10080 minutes).
///
/// Equality ignores `sigma` unless both values are lognormal: the other distributions have no shape parameter.
public struct TimeToWin: Sendable, Equatable {
    public var distribution: Distribution
    /// Greater than 0 (at most 10080 for `fixed`); default 90.
    public var medianMinutes: Double
    /// Lognormal shape (the standard deviation of the log), ≥ 0; default 0.8; unused by the other distributions.
    public var sigma: Double

    public init(distribution: Distribution = .lognormal, medianMinutes: Double = 90, sigma: Double = 0.8) {
        self.distribution = distribution
        self.medianMinutes = medianMinutes
        self.sigma = sigma
    }

    public static func == (lhs: TimeToWin, rhs: TimeToWin) -> Bool {
        lhs.distribution == rhs.distribution && lhs.medianMinutes == rhs.medianMinutes
            && (lhs.distribution != .lognormal || lhs.sigma == rhs.sigma)
    }
}

/// The family of the time-to-first-win distribution, parameterised by its median.
public enum Distribution: String, Sendable, Equatable, CaseIterable {
    case lognormal
    case exponential
    case fixed
}

/// A drift's new truth values: every field optional (at least one set in a file). A `timeToFirstWin` replaces the
/// whole distribution; sub-keys not written in the file take their defaults, not the old values.
public struct TruthPatch: Sendable, Equatable {
    public var activation7d: Double?
    public var retention30d: Retention?
    public var upgrade: Upgrade?
    public var timeToFirstWin: TimeToWin?

    public init(
        activation7d: Double? = nil,
        retention30d: Retention? = nil,
        upgrade: Upgrade? = nil,
        timeToFirstWin: TimeToWin? = nil
    ) {
        self.activation7d = activation7d
        self.retention30d = retention30d
        self.upgrade = upgrade
        self.timeToFirstWin = timeToFirstWin
    }
}
