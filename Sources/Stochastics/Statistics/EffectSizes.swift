/// Standardised and absolute effect sizes that accompany the lab's comparisons.
public enum EffectSizes {
    /// Cohen's d for paired data, d_z = mean(d)/sd(d) with d = x − y and the n − 1 standard deviation.
    ///
    /// It equals the paired t statistic divided by √n. References: Cohen, *Statistical Power Analysis for the
    /// Behavioral Sciences* (2nd ed., 1988) §2.3; Lakens, "Calculating and reporting effect sizes to facilitate
    /// cumulative science", *Frontiers in Psychology* 4 (2013) 863.
    ///
    /// Degenerate cases: sd = 0 and mean = 0 gives 0; sd = 0 and mean ≠ 0 gives ±`Double.greatestFiniteMagnitude`
    /// (the limit, kept finite for CSV output, matching ``HypothesisTests/pairedT(_:_:level:)``).
    ///
    /// - Parameters:
    ///   - x, y: paired samples of equal length n ≥ 2, finite values.
    public static func pairedCohensD(_ x: [Double], _ y: [Double]) throws -> Double {
        GSL.prepare()
        let routine = "pairedCohensD"
        try Validation.paired(x, y, in: routine)
        try Validation.sample(x, minimumCount: 2, name: "x", in: routine)
        try Validation.sample(y, minimumCount: 2, name: "y", in: routine)
        let d = zip(x, y).map { $0 - $1 }
        try Validation.sample(d, minimumCount: 2, name: "x − y", in: routine)
        let mean = Descriptive.unsafeMean(d)
        let sd = try Validation.finite(
            Descriptive.unsafeVariance(d, mean: mean).squareRoot(), "the standard deviation", in: routine)
        guard sd > 0 else { return mean == 0 ? 0 : HypothesisTests.unboundedStatistic(signOf: mean) }
        return HypothesisTests.finiteStatistic(mean / sd)
    }

    /// The difference of two independent proportions, k₁/n₁ − k₂/n₂, with Newcombe's hybrid score interval.
    ///
    /// The interval is method 10 of Newcombe, "Interval estimation for the difference between independent
    /// proportions: comparison of eleven methods", *Statistics in Medicine* 17 (1998) 873–890: from the Wilson
    /// bounds (lᵢ, uᵢ) of each proportion, [θ̂ − √((p₁ − l₁)² + (u₂ − p₂)²), θ̂ + √((u₁ − p₁)² + (p₂ − l₂)²)].
    /// It stays inside [−1, 1] and is defined for every count, including 0/n and n/n.
    ///
    /// - Parameters:
    ///   - successes1, trials1: the first proportion's count, trials ≥ 1 and 0 ≤ successes ≤ trials.
    ///   - successes2, trials2: the second proportion's count, same ranges.
    ///   - level: the confidence level, in (0, 1).
    public static func differenceOfProportions(
        successes1: Int, trials1: Int, successes2: Int, trials2: Int, level: Double = 0.95
    ) throws -> (estimate: Double, interval: Interval) {
        GSL.prepare()
        let routine = "differenceOfProportions"
        try Validation.counts(successes: successes1, trials: trials1, in: routine + " (first proportion)")
        try Validation.counts(successes: successes2, trials: trials2, in: routine + " (second proportion)")
        try Validation.level(level, in: routine)
        let z = try Intervals.normalUpperQuantile((1 - level) / 2)
        return Intervals.newcombeIndependent(k1: successes1, n1: trials1, k2: successes2, n2: trials2, z: z)
    }
}
