import Foundation
import Stochastics

/// What a policy sees when it assigns one user: the persona's patterns (ordered by flow id), its champion, the
/// settings, the effective ε, the A/B-test arms (v3 default flows, then registered candidates) and the arm an
/// A/B test fixed, if any.
///
/// A class: the engine builds one per persona when its patterns, settings or policy state change and hands the
/// same object to the policy for every user until then (a struct of this size would be copied, and its many
/// references retained and released, per user).
public final class PolicyContext {
    public let persona: String
    public let patterns: [FlowPattern]
    public let champion: FlowPattern?
    public let settings: EngineSettings
    public let epsilon: Double
    public internal(set) var arms: [PolicyArm] = []
    public internal(set) var abTestWinner: PolicyArm?
    /// The pattern with the highest win score (ties: larger sample, then first flow id), or nil when empty.
    public let greedy: FlowPattern?
    /// True while none of the persona's patterns has a sample: the non-seed policies use the v3 default then.
    public let hasNoSample: Bool

    /// Derives `greedy` and `hasNoSample` once: the engine caches a persona's context between changes, so they
    /// are not recomputed for every user.
    public init(
        persona: String, patterns: [FlowPattern], champion: FlowPattern?, settings: EngineSettings, epsilon: Double
    ) {
        self.persona = persona
        self.patterns = patterns
        self.champion = champion
        self.settings = settings
        self.epsilon = epsilon
        self.greedy = patterns.max(by: V4Engine.electionOrder)
        self.hasNoSample = !patterns.contains { $0.sampleSize > 0 }
    }
}

/// A policy's choice.
public enum PolicyDecision: Equatable {
    case pattern(FlowPattern, AssignmentMode)
    /// The persona's v3 default, with the mode to record.
    case v3Default(AssignmentMode)
    /// One of the context's arms (it may have no pattern yet), with the mode to record.
    case arm(PolicyArm, AssignmentMode)
}

/// An assignment policy (SPEC §1.5). Policies change assignment only; learning, election and governance stay
/// the seed's. Every draw comes from `random`, the engine's policy stream.
public protocol AssignmentPolicy: Sendable {
    var kind: PolicyKind { get }
    func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision
    /// True when an ε draw decides between explore and exploit for this context (the allocation-health check
    /// compares the observed explore share with ε over such users). False for policies without ε.
    func explorationApplies(_ context: PolicyContext) -> Bool
}

extension PolicyKind {
    /// The policy implementing this kind.
    public var policy: any AssignmentPolicy {
        switch self {
        case .seedEpsilonGreedy: return SeedEpsilonGreedy()
        case .epsilonGreedy: return EpsilonGreedy()
        case .thompson: return ThompsonSampling()
        case .ucb1: return UCB1()
        case .abTest: return ABTestPolicy()
        case .v3Default: return V3DefaultPolicy()
        }
    }
}

extension PolicyContext {
    /// Mode for index policies: exploit when the choice is the greedy pattern, explore otherwise.
    func mode(of choice: FlowPattern) -> AssignmentMode { choice.flowId == greedy?.flowId ? .exploit : .explore }
}

/// The seed's policy: explore non-champions in proportion to exploration priority with probability ε, else the
/// champion, else the v3 default (SPEC §1.5 steps 1–3).
public struct SeedEpsilonGreedy: AssignmentPolicy {
    public var kind: PolicyKind { .seedEpsilonGreedy }
    public init() {}

    public func explorationApplies(_ context: PolicyContext) -> Bool {
        context.patterns.contains { !$0.isChampion && $0.explorationPriority > 0 }
    }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        if random.uniform() < context.epsilon {
            let candidates = context.patterns.filter { !$0.isChampion }
            if !candidates.isEmpty,
                let i = WeightedChoice.index(candidates.map(\.explorationPriority), u: random.uniform())
            {
                return .pattern(candidates[i], .explore)
            }
        }
        if let champion = context.champion { return .pattern(champion, .exploit) }
        return .v3Default(.exploit)
    }
}

/// Textbook ε-greedy: with probability ε a uniform pick among all patterns (greedy included), otherwise the
/// pattern with the highest win score, no minimum sample (Sutton & Barto, *Reinforcement Learning*, 2nd ed., §2.2).
public struct EpsilonGreedy: AssignmentPolicy {
    public var kind: PolicyKind { .epsilonGreedy }
    public init() {}

    public func explorationApplies(_ context: PolicyContext) -> Bool { !context.hasNoSample }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        if random.uniform() < context.epsilon {
            return .pattern(context.patterns[random.uniformInt(context.patterns.count)], .explore)
        }
        guard let greedy = context.greedy else { return .v3Default(.exploit) }
        return .pattern(greedy, .exploit)
    }
}

/// Thompson sampling on the win score: per pattern, p7 ~ Beta(1+a, 1+n−a), p30 ~ Beta(1+r, 1+n−r), combined
/// with the observed speed bonus by the win-score weights; the argmax is assigned (Thompson 1933; Chapelle & Li,
/// "An empirical evaluation of Thompson sampling", NIPS 2011). Counts are recovered as round(rate · n), exact
/// when `count_immature` is on. Ties go to the first flow id.
public struct ThompsonSampling: AssignmentPolicy {
    public var kind: PolicyKind { .thompson }
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        let w = context.settings.weights
        var best: (score: Double, pattern: FlowPattern)?
        for p in context.patterns {
            let n = Double(p.sampleSize)
            let a = (p.winRate7d * n).rounded()
            let r = (p.winRate30d * n).rounded()
            let p7 = random.beta(1 + a, 1 + n - a)
            let p30 = random.beta(1 + r, 1 + n - r)
            let score =
                w.activation7d * p7 + w.retention30d * p30
                + w.speed
                * WinScore.speedBonus(
                    avgMinutes: p.avgTimeToFirstWinMinutes, horizon: context.settings.speedHorizonMinutes)
            if best == nil || score > best?.score ?? 0 { best = (score, p) }
        }
        guard let choice = best?.pattern else { return .v3Default(.exploit) }
        return .pattern(choice, context.mode(of: choice))
    }
}

/// UCB1 on the win score: unplayed patterns first (first flow id), otherwise the maximum of
/// win_score + sqrt(2 ln N / n), N the persona's total sample (Auer, Cesa-Bianchi & Fischer, "Finite-time
/// analysis of the multiarmed bandit problem", Machine Learning 47, 2002). Deterministic: no draw.
public struct UCB1: AssignmentPolicy {
    public var kind: PolicyKind { .ucb1 }
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        if let unplayed = context.patterns.first(where: { $0.sampleSize == 0 }) { return .pattern(unplayed, .explore) }
        let total = Double(context.patterns.reduce(0) { $0 + $1.sampleSize })
        var best: (score: Double, pattern: FlowPattern)?
        for p in context.patterns {
            let score = p.winScore + (2 * log(total) / Double(p.sampleSize)).squareRoot()
            if best == nil || score > best?.score ?? 0 { best = (score, p) }
        }
        guard let choice = best?.pattern else { return .v3Default(.exploit) }
        return .pattern(choice, context.mode(of: choice))
    }
}
