import Foundation
import OnboardingEngine
import Stochastics

/// P(upgrade): one probability, or one conditional on the user's retention or activation (README, "Outcome
/// structure and delays"). The upgrade uniform is independent of the others, so the marginal is the mixture.
public enum Upgrade: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case flat(Double)
    case ifRetained(yes: Double, no: Double)
    case ifActivated(yes: Double, no: Double)

    public init(floatLiteral value: Double) { self = .flat(value) }
    public init(integerLiteral value: Int) { self = .flat(Double(value)) }

    /// P(upgrade) of a user who is (or is not) activated and retained.
    public func probability(activated: Bool, retained: Bool) -> Double {
        switch self {
        case .flat(let p): return p
        case .ifRetained(let yes, let no): return retained ? yes : no
        case .ifActivated(let yes, let no): return activated ? yes : no
        }
    }

    /// Marginal P(upgrade) given the marginal activation and retention probabilities.
    public func marginal(activation: Double, retention: Double) -> Double {
        switch self {
        case .flat(let p): return p
        case .ifRetained(let yes, let no): return retention * yes + (1 - retention) * no
        case .ifActivated(let yes, let no): return activation * yes + (1 - activation) * no
        }
    }
}

/// The delay, in days after signup, at which an outcome (retention, upgrade) is recorded: a law parameterised by
/// its median, truncated at `maxDays` (README, "Outcome structure and delays"). Without one, outcomes are
/// recorded at exactly day 30.
public struct OutcomeDelay: Sendable, Equatable {
    public enum Law: Sendable, Equatable {
        case fixed
        case exponential
        case lognormal(sigma: Double)
    }

    public var law: Law
    public var medianDays: Double
    /// Upper truncation point in days (a `fixed` delay is at most this).
    public var maxDays: Double

    public init(law: Law, medianDays: Double, maxDays: Double) {
        self.law = law
        self.medianDays = medianDays
        self.maxDays = maxDays
    }

    /// Today's rule: every outcome recorded 30 days after signup.
    public static let day30Minutes: Minute = 30 * Clock.minutesPerDay

    /// The longest delay, in minutes, any user can have.
    public var latestMinutes: Minute {
        switch law {
        case .fixed: return minutes(u: 0)
        case .exponential, .lognormal: return Int((maxDays * Double(Clock.minutesPerDay)).rounded(.down))
        }
    }

    /// The delay in minutes of a user whose delay uniform is `u` ∈ [0, 1): the inverse CDF of the law truncated at
    /// `maxDays`, rounded up to a whole minute, at least 1 and at most `maxDays`.
    public func minutes(u: Double) -> Minute {
        let day = Double(Clock.minutesPerDay)
        let upper = maxDays * day
        let median = medianDays * day
        let minutes: Double
        switch law {
        case .fixed:
            minutes = min(median, upper)
        case .exponential:
            minutes = Distributions.truncatedExponentialQuantile(median: median, upper: upper, u: u)
        case .lognormal(let sigma):
            minutes = Distributions.truncatedLognormalQuantile(median: median, sigma: sigma, upper: upper, u: u)
        }
        return min(max(1, Int(minutes.rounded(.up))), Int(upper.rounded(.down)))
    }
}

extension World {
    /// How long after signup a user's outcomes may still be recorded, plus a day: what an engine store must keep
    /// (31 days without outcome delays, the memory store's default).
    /// Whether some flow has a step funnel.
    public var hasFunnel: Bool { personas.contains { $0.flows.contains { $0.truth.funnel != nil } } }

    /// Whether some flow records retention or upgrade at a delay other than day 30.
    public var hasOutcomeDelays: Bool {
        personas.contains { $0.flows.contains { $0.truth.retentionDelay != nil || $0.truth.upgradeDelay != nil } }
    }

    public var outcomeRetentionMinutes: Minute {
        let latest =
            personas.flatMap(\.flows).flatMap { [$0.truth.retentionDelay, $0.truth.upgradeDelay] }
            .compactMap { $0?.latestMinutes }.max() ?? OutcomeDelay.day30Minutes
        return max(latest, OutcomeDelay.day30Minutes) + Clock.minutesPerDay
    }
}

/// The uniforms of the optional phenomena, each from a stream of its own, drawn per user in draw order and only
/// when the world uses the phenomenon — so a world without them draws exactly what it always did:
/// `inference` (one uniform: the inferred persona), `heterogeneity` (two: the user's place in the Beta
/// distributions of activation and retention rates), `funnel` (one: the walk through a step funnel) and `delays`
/// (two: retention's and upgrade's recording delays).
final class FeatureDraws {
    let inference: RandomStream?
    let heterogeneity: RandomStream?
    let funnel: RandomStream?
    let delays: RandomStream?

    /// nil when the world uses none of them.
    init?(world: World, seed: UInt64, replicate: Int) {
        let usesFunnel = world.hasFunnel
        let usesDelays = world.hasOutcomeDelays
        guard usesFunnel || usesDelays || world.inference != nil || world.hasSpread else { return nil }
        func stream(_ used: Bool, _ name: SeedDerivation.Stream) -> RandomStream? {
            used ? RandomStream(master: seed, replicate: replicate, stream: name) : nil
        }
        inference = stream(world.inference != nil, .inference)
        heterogeneity = stream(world.hasSpread, .heterogeneity)
        funnel = stream(usesFunnel, .funnel)
        delays = stream(usesDelays, .delays)
    }

    func draw(into user: inout SyntheticUser) {
        if let inference { user.uInference = inference.uniform() }
        if let heterogeneity {
            user.hActivation = heterogeneity.uniform()
            user.hRetention = heterogeneity.uniform()
        }
        if let funnel { user.uFunnel = funnel.uniform() }
        if let delays {
            user.uRetentionDelay = delays.uniform()
            user.uUpgradeDelay = delays.uniform()
        }
    }
}
