import Stochastics

/// Textbook ε-greedy: with probability ε a uniform pick among all patterns (greedy included), otherwise the
/// pattern with the highest win score, no minimum sample (Sutton & Barto, *Reinforcement Learning*, 2nd ed., §2.2).
public struct EpsilonGreedy: RegisteredPolicy {
    public static let name = "epsilon-greedy"
    public static let summary = "textbook ε-greedy"
    public init() {}

    public func explorationApplies(_ context: PolicyContext) -> Bool { !context.hasNoSample }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        if random.uniform() < context.epsilon {
            return .pattern(random.uniformInt(context.patterns.count), .explore)
        }
        guard let greedy = context.greedyIndex else { return .v3Default(.exploit) }
        return .pattern(greedy, .exploit)
    }
}
