/// A sequential test of "p ≥ threshold" for a Bernoulli proportion observed in batches, valid under repeated looks.
///
/// The trials are examined after every `batch` of them (the planned looks n₁ = batch, n₂ = 2·batch, …, the last
/// one `maxTrials`), so there are K = ⌈maxTrials / batch⌉ looks. At each look the proportion gets a two-sided
/// Clopper–Pearson interval at level 1 − α/K (beta quantiles from GSL, ``Intervals/clopperPearson(successes:trials:level:)``).
/// By Bonferroni's inequality the K intervals cover the true p simultaneously with probability ≥ 1 − α, so
/// stopping at the first look whose interval lies on one side of the threshold keeps both error rates ≤ α/2 (a
/// confidence sequence over the planned looks; Jennison & Turnbull, *Group Sequential Methods with Applications to
/// Clinical Trials*, 2000, §2.2 and §12.1 on repeated confidence intervals; Clopper & Pearson, *Biometrika* 26,
/// 1934).
///
/// The decision at a look: pass when the lower bound ≥ threshold, fail when the upper bound < threshold, otherwise
/// continue; at the last look an undecided proportion stays undecided.
public struct SequentialProportionTest: Sendable, Equatable {
    public enum Decision: String, Sendable, Equatable {
        case pass, fail, undecided
    }

    /// The proportion that must be shown, in [0, 1].
    public var threshold: Double
    /// Trials added between two looks, in 1...maxTrials.
    public var batch: Int
    /// The last look.
    public var maxTrials: Int
    /// The family-wise error over all looks (both sides together), in (0, 1).
    public var alpha: Double

    public init(threshold: Double, batch: Int, maxTrials: Int, alpha: Double = 0.05) throws {
        try Validation.probability(threshold, in: "SequentialProportionTest")
        guard maxTrials >= 1 else {
            throw StatisticsError("SequentialProportionTest: maxTrials = \(maxTrials), at least 1 needed")
        }
        guard (1...maxTrials).contains(batch) else {
            throw StatisticsError("SequentialProportionTest: batch = \(batch) is outside 1...\(maxTrials)")
        }
        guard alpha.isFinite, alpha > 0, alpha < 1 else {
            throw StatisticsError("SequentialProportionTest: alpha = \(alpha) is outside (0, 1)")
        }
        self.threshold = threshold
        self.batch = batch
        self.maxTrials = maxTrials
        self.alpha = alpha
    }

    /// K, the number of planned looks.
    public var looks: Int { (maxTrials + batch - 1) / batch }

    /// The trial counts at which the data are examined: batch, 2·batch, …, maxTrials.
    public var lookSizes: [Int] { (1...looks).map { min($0 * batch, maxTrials) } }

    /// The confidence level of each look's interval, 1 − α/K.
    public var perLookLevel: Double { 1 - alpha / Double(looks) }

    /// The interval at a planned look.
    public func interval(successes: Int, trials: Int) throws -> Interval {
        guard lookSizes.contains(trials) else {
            throw StatisticsError(
                "SequentialProportionTest: \(trials) trials is not a planned look (multiples of \(batch) up to \(maxTrials))"
            )
        }
        return try Intervals.clopperPearson(successes: successes, trials: trials, level: perLookLevel)
    }

    /// The decision at a planned look; `.undecided` means "continue" before the last look.
    public func decision(successes: Int, trials: Int) throws -> Decision {
        let bounds = try interval(successes: successes, trials: trials)
        if bounds.lower >= threshold { return .pass }
        if bounds.upper < threshold { return .fail }
        return .undecided
    }

    /// The largest lower bound the last look can give (every trial a success): (α / 2K)^(1/maxTrials).
    public var bestLowerBound: Double {
        get throws { try interval(successes: maxTrials, trials: maxTrials).lower }
    }

    /// Whether the threshold can be shown at all within `maxTrials` (else the test can only fail or stay undecided).
    public var canPass: Bool {
        get throws { try bestLowerBound >= threshold }
    }
}
