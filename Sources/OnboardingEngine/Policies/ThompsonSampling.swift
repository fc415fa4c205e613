import Stochastics

/// Thompson sampling on the win score: per pattern, p7 ~ Beta(1+a, 1+n−a), p30 ~ Beta(1+r, 1+n−r), combined
/// with the observed speed bonus by the win-score weights; the argmax is assigned (Thompson 1933; Chapelle & Li,
/// "An empirical evaluation of Thompson sampling", NIPS 2011). Counts are recovered as round(rate · n), exact
/// when `count_immature` is on. Ties go to the first flow id.
public struct ThompsonSampling: RegisteredPolicy {
    public static let name = "thompson"
    public static let summary = "Thompson sampling"
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        let w = context.settings.weights
        var best: (score: Double, index: Int)?
        for (i, p) in context.patterns.enumerated() {
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
            if best == nil || score > best?.score ?? 0 { best = (score, i) }
        }
        guard let choice = best?.index else { return .v3Default(.exploit) }
        return .pattern(choice, context.mode(of: choice))
    }
}
