import Foundation
import OnboardingEngine
import Stochastics

/// Truth, true win scores and the true best flow of every persona on every day (SPEC §2.4).
///
/// A flow's true win score applies the world's business objective (not the engine's weights, which are a setting
/// under test) to its true rates, with the speed bonus of the *expected* time to first win under its truncated
/// distribution: `w7·p7 + w30·p30 + wspeed·(1 − min(E[T | T ≤ 7 days]/H, 1))`.
public struct Oracle: Sendable {
    /// Activation is only counted within 7 days, so times are truncated there.
    public static let truncationMinutes = 7.0 * 1440

    public let world: World

    public init(world: World) {
        self.world = world
    }

    /// The truth of flow `flow` of persona `persona` in force on `day`: step drifts apply from the start of their
    /// day, in file order, then the persona's trends (``TrendModel``).
    public func truth(persona: Int, flow: Int, day: Int) -> FlowTruth {
        world.personas[persona].applyingTrends(
            to: steppedTruth(persona: persona, flow: flow, day: day), flow: flow, day: day)
    }

    /// The flow's truth with the step drifts in force on `day` applied, in file order (no trends).
    func steppedTruth(persona: Int, flow: Int, day: Int) -> FlowTruth {
        let p = world.personas[persona]
        var t = p.flows[flow].truth
        for d in p.drift where d.flow == flow && d.day <= day { t = d.apply(to: t) }
        return t
    }

    /// E[T | T ≤ 7 days] in minutes, in closed form.
    public static func expectedTimeToWin(_ ttw: TimeToWin) -> Double {
        let upper = truncationMinutes
        switch ttw {
        case .lognormal(let median, let sigma):
            return Distributions.truncatedLognormalMean(median: median, sigma: sigma, upper: upper)
        case .exponential(let median):
            // Mean μ = median/ln 2; E[X | X ≤ T] = μ − T·e^{−T/μ} / (1 − e^{−T/μ}).
            let mu = median / M_LN2
            let tail = exp(-upper / mu)
            return mu - upper * tail / (1 - tail)
        case .fixed(let minutes):
            return min(minutes, upper)
        }
    }

    /// The minutes to first win of a user with latent uniform `u` ∈ [0, 1) (inverse CDF of the truncated law),
    /// rounded up to a whole minute, at least 1.
    public static func timeToWin(_ ttw: TimeToWin, u: Double) -> Minute {
        let upper = truncationMinutes
        let minutes: Double
        switch ttw {
        case .lognormal(let median, let sigma):
            minutes = Distributions.truncatedLognormalQuantile(median: median, sigma: sigma, upper: upper, u: u)
        case .exponential(let median):
            minutes = Distributions.truncatedExponentialQuantile(median: median, upper: upper, u: u)
        case .fixed(let m):
            minutes = min(m, upper)
        }
        return min(max(1, Int(minutes.rounded(.up))), Int(upper))
    }

    public func trueScore(_ t: FlowTruth) -> Double {
        WinScore.score(
            winRate7d: t.activation, winRate30d: t.retention30d, avgMinutes: Self.expectedTimeToWin(t.timeToFirstWin),
            weights: world.objective.weights, horizon: world.objective.speedHorizonMinutes)
    }

    public func trueScore(persona: Int, flow: Int, day: Int) -> Double {
        trueScore(truth(persona: persona, flow: flow, day: day))
    }

    /// Flows users can be presented on `day`: the v3 default flows, candidates already introduced, and deviation
    /// targets.
    ///
    /// With persona inference, also the flows a user of the persona is shown when misread as another persona that
    /// day (the persona's flow with the steps of one the other persona can present): the best a user can get
    /// includes them, so regret is never negative.
    public func presentable(persona: Int, day: Int) -> [Int] {
        var set = Set(ownPresentable(persona: persona, day: day))
        for (other, flows) in misreadRoutes(persona: persona, day: day) {
            for f in flows {
                if let own = world.personas[persona].flowIndex(steps: world.personas[other].flows[f].steps) {
                    set.insert(own)
                }
            }
        }
        return set.sorted()
    }

    /// The flows the persona's own configuration presents on `day`: v3 default, introduced candidates, deviation
    /// targets.
    func ownPresentable(persona: Int, day: Int) -> [Int] {
        let p = world.personas[persona]
        var set = Set(p.v3Default.map(\.flow))
        for (i, f) in p.flows.enumerated() where f.candidate && f.introducedDay <= day { set.insert(i) }
        if let d = p.deviation { for t in d.to { set.insert(t.flow) } }
        return set.sorted()
    }

    /// With persona inference: each other persona the users of `persona` may be inferred as on `day`, with the
    /// flows it presents (its own indices).
    func misreadRoutes(persona: Int, day: Int) -> [(persona: Int, flows: [Int])] {
        guard let weights = world.inference?.weights(persona: persona, day: day) else { return [] }
        return weights.enumerated().filter { $0.offset != persona && $0.element > 0 }.map {
            ($0.offset, ownPresentable(persona: $0.offset, day: day))
        }
    }

    /// The true best flow of `persona` on `day` (ties: first declared), and whether it is unique.
    public func trueBest(persona: Int, day: Int) -> (flow: Int, score: Double, unique: Bool) {
        var best: (flow: Int, score: Double, unique: Bool) = (-1, -.infinity, true)
        for f in presentable(persona: persona, day: day) {
            let s = trueScore(persona: persona, flow: f, day: day)
            if s > best.score { best = (f, s, true) } else if s == best.score { best.unique = false }
        }
        return best
    }

    /// One persona's truth on one day: the true best flow and, per declared flow, its truth and the per-user
    /// regret of presenting it (on the full win score and on activation alone).
    public struct Day: Sendable {
        public var best: Int
        public var truth: [FlowTruth]
        public var regret: [Double]
        public var activationRegret: [Double]
    }

    public func day(persona: Int, day: Int) -> Day {
        let flows = world.personas[persona].flows.indices
        let best = trueBest(persona: persona, day: day)
        let truths = flows.map { truth(persona: persona, flow: $0, day: day) }
        let bestActivation = presentable(persona: persona, day: day).map { truths[$0].activation }.max() ?? 0
        return Day(
            best: best.flow, truth: truths, regret: truths.map { best.score - trueScore($0) },
            activationRegret: truths.map { bestActivation - $0.activation })
    }

    /// Per-user regret of presenting `flow` on `day`, on the full win score and on activation alone.
    public func regret(persona: Int, flow: Int, day: Int) -> (score: Double, activation: Double) {
        let table = self.day(persona: persona, day: day)
        return (table.regret[flow], table.activationRegret[flow])
    }
}
