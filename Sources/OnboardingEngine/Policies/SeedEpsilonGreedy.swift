import Stochastics

/// The seed's policy: explore non-champions in proportion to exploration priority with probability ε, else the
/// champion, else the v3 default (SPEC §1.5 steps 1–3).
public struct SeedEpsilonGreedy: RegisteredPolicy {
    public static let name = "seed-epsilon-greedy"
    public static let summary = "the seed's ε-greedy"
    public init() {}

    public func explorationApplies(_ context: PolicyContext) -> Bool {
        context.patterns.contains { !$0.isChampion && $0.explorationPriority > 0 }
    }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        if random.uniform() < context.epsilon {
            let candidates = context.nonChampions
            if !candidates.indices.isEmpty,
                let i = WeightedChoice.index(candidates.priorities, u: random.uniform())
            {
                return .pattern(candidates.indices[i], .explore)
            }
        }
        if let champion = context.championIndex { return .pattern(champion, .exploit) }
        return .v3Default(.exploit)
    }
}
