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
            let mu = median / M_LN2
            minutes = -mu * log1p(-u * (1 - exp(-upper / mu)))
        case .lognormal(let sigma):
            minutes = Distributions.truncatedLognormalQuantile(median: median, sigma: sigma, upper: upper, u: u)
        }
        return min(max(1, Int(minutes.rounded(.up))), Int(upper.rounded(.down)))
    }
}

extension World {
    /// How long after signup a user's outcomes may still be recorded, plus a day: what an engine store must keep
    /// (31 days without outcome delays, the memory store's default).
    public var outcomeRetentionMinutes: Minute {
        let latest =
            personas.flatMap(\.flows).flatMap { [$0.truth.retentionDelay, $0.truth.upgradeDelay] }
            .compactMap { $0?.latestMinutes }.max() ?? OutcomeDelay.day30Minutes
        return max(latest, OutcomeDelay.day30Minutes) + Clock.minutesPerDay
    }
}

/// The draws of the optional outcome features, each from its own named stream so a world without them draws
/// exactly what it drew before: per user, in generation order, one `funnel` uniform when some flow has a step
/// funnel and two `delays` uniforms (retention, upgrade) when some flow has an outcome delay.
final class OutcomeDraws {
    let funnel: RandomStream?
    let delays: RandomStream?

    /// nil when the world uses neither feature.
    init?(world: World, seed: UInt64, replicate: Int) {
        let truths = world.personas.flatMap { $0.flows.map(\.truth) }
        let usesFunnel = truths.contains { $0.funnel != nil }
        let usesDelays = truths.contains { $0.retentionDelay != nil || $0.upgradeDelay != nil }
        guard usesFunnel || usesDelays else { return nil }
        funnel = usesFunnel ? RandomStream(master: seed, replicate: replicate, stream: .funnel) : nil
        delays = usesDelays ? RandomStream(master: seed, replicate: replicate, stream: .delays) : nil
    }

    func draw(into user: inout SyntheticUser) {
        if let funnel { user.uFunnel = funnel.uniform() }
        if let delays {
            user.uRetentionDelay = delays.uniform()
            user.uUpgradeDelay = delays.uniform()
        }
    }
}
