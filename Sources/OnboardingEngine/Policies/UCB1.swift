import Foundation
import Stochastics

/// UCB1 on the win score: unplayed patterns first (first flow id), otherwise the maximum of
/// win_score + sqrt(2 ln N / n), N the persona's total sample (Auer, Cesa-Bianchi & Fischer, "Finite-time
/// analysis of the multiarmed bandit problem", Machine Learning 47, 2002). Deterministic: no draw.
public struct UCB1: RegisteredPolicy {
    public static let name = "ucb1"
    public static let summary = "UCB1"
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        if let unplayed = context.patterns.firstIndex(where: { $0.sampleSize == 0 }) {
            return .pattern(unplayed, .explore)
        }
        let total = Double(context.patterns.reduce(0) { $0 + $1.sampleSize })
        var best: (score: Double, index: Int)?
        for (i, p) in context.patterns.enumerated() {
            let score = p.winScore + (2 * log(total) / Double(p.sampleSize)).squareRoot()
            if best == nil || score > best?.score ?? 0 { best = (score, i) }
        }
        guard let choice = best?.index else { return .v3Default(.exploit) }
        return .pattern(choice, context.mode(of: choice))
    }
}
