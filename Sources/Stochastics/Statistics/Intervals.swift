import CGSL

/// Confidence intervals for a mean and for a binomial proportion.
///
/// Every bound is finite; proportion bounds lie in [0, 1].
public enum Intervals {
    /// The Student t confidence interval for the population mean: x̄ ± t₍₁₋α/₂, n−1₎ · s/√n.
    ///
    /// The quantile is `gsl_cdf_tdist_Qinv(α/2, n − 1)`, the upper-tail form of `gsl_cdf_tdist_Pinv(1 − α/2, n − 1)`
    /// (the same value, without forming 1 − α/2). Reference: Student, "The probable error of a mean",
    /// *Biometrika* 6 (1908) 1–25; GSL manual, "Random Number Distributions › The t-distribution".
    ///
    /// Degenerate cases (all finite, so CSV output stays numeric):
    /// - n = 1: no spread can be estimated; the estimate has standard deviation 0 and the interval is
    ///   `[mean, mean]`. Treat it as "no interval", not as certainty.
    /// - all values equal: s = 0 and the interval has zero width at the mean.
    ///
    /// - Parameters:
    ///   - x: at least one finite value.
    ///   - level: the confidence level, in (0, 1).
    public static func tMean(_ x: [Double], level: Double = 0.95) throws -> MeanEstimate {
        GSL.prepare()
        try Validation.sample(x, in: "tMean")
        try Validation.level(level, in: "tMean")
        let n = x.count
        let mean = try Validation.finite(Descriptive.unsafeMean(x), "the mean", in: "tMean")
        guard n >= 2 else {
            return MeanEstimate(n: 1, mean: mean, standardDeviation: 0, interval: Interval(point: mean))
        }
        let sd = try Validation.finite(
            Descriptive.unsafeVariance(x, mean: mean).squareRoot(), "the standard deviation", in: "tMean")
        let half = try tHalfWidth(standardError: sd / Double(n).squareRoot(), df: Double(n - 1), level: level)
        return MeanEstimate(
            n: n, mean: mean, standardDeviation: sd,
            interval: Interval(lower: mean - half, upper: mean + half))
    }

    /// The Wilson score interval for a binomial proportion.
    ///
    /// With p̂ = k/n and z = Φ⁻¹(1 − α/2): centre (p̂ + z²/2n)/(1 + z²/n), half-width
    /// z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²). The lower bound is exactly 0 when k = 0 and the upper bound exactly
    /// 1 when k = n. Reference: Wilson, "Probable inference, the law of succession, and statistical inference",
    /// *JASA* 22 (1927) 209–212; Newcombe, *Statistics in Medicine* 17 (1998) 857–872, method 3.
    ///
    /// - Parameters:
    ///   - successes: 0...trials.
    ///   - trials: at least 1.
    ///   - level: the confidence level, in (0, 1).
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) throws -> Interval {
        GSL.prepare()
        try Validation.counts(successes: successes, trials: trials, in: "wilson")
        try Validation.level(level, in: "wilson")
        let z = try normalUpperQuantile((1 - level) / 2)
        return wilsonBounds(successes: successes, trials: trials, z: z)
    }

    /// The Clopper–Pearson "exact" interval for a binomial proportion, from beta quantiles.
    ///
    /// lower = B⁻¹(α/2; k, n − k + 1) (0 when k = 0), upper = B⁻¹(1 − α/2; k + 1, n − k) (1 when k = n),
    /// computed with `gsl_cdf_beta_Pinv` and, for the upper bound, its upper-tail form `gsl_cdf_beta_Qinv(α/2, …)`.
    /// Its coverage is at least the nominal level for every p (conservative). Reference: Clopper & Pearson,
    /// "The use of confidence or fiducial limits illustrated in the case of the binomial", *Biometrika* 26 (1934)
    /// 404–413; Newcombe (1998) method 5; GSL manual, "The Beta Distribution".
    ///
    /// - Parameters:
    ///   - successes: 0...trials.
    ///   - trials: at least 1.
    ///   - level: the confidence level, in (0, 1).
    public static func clopperPearson(successes k: Int, trials n: Int, level: Double = 0.95) throws -> Interval {
        GSL.prepare()
        try Validation.counts(successes: k, trials: n, in: "clopperPearson")
        try Validation.level(level, in: "clopperPearson")
        let tail = (1 - level) / 2
        var lower = 0.0
        var upper = 1.0
        if k > 0 {
            let a = Double(k)
            let b = Double(n - k + 1)
            lower = try betaQuantile(tail, a, b, upperTail: false)
        }
        if k < n {
            let a = Double(k + 1)
            let b = Double(n - k)
            upper = try betaQuantile(tail, a, b, upperTail: true)
        }
        return Interval(lower: min(max(lower, 0), 1), upper: min(max(upper, 0), 1))
    }
}

// MARK: - Shared kernels

extension Intervals {
    /// The beta(a, b) quantile with lower-tail probability `p` (`gsl_cdf_beta_Pinv`), or with upper-tail
    /// probability `p` when `upperTail` (`gsl_cdf_beta_Qinv`).
    ///
    /// GSL's Newton refinement in these inverses fails for some skewed shapes (e.g. `gsl_cdf_beta_Qinv(0.025, 3,
    /// 258)` returns NaN with `GSL_EFAILED`, GSL 2.7); the quantile is then found by bisection on the monotone
    /// `gsl_cdf_beta_P` / `gsl_cdf_beta_Q` until the bracket is narrower than 1e-15 (or 200 halvings).
    static func betaQuantile(_ p: Double, _ a: Double, _ b: Double, upperTail: Bool) throws -> Double {
        let gsl = upperTail ? gsl_cdf_beta_Qinv(p, a, b) : gsl_cdf_beta_Pinv(p, a, b)
        if gsl.isFinite { return gsl }
        // Bisection: P(x) increases and Q(x) decreases with x.
        var low = 0.0
        var high = 1.0
        for _ in 0..<200 where high - low > 1e-15 {
            let mid = (low + high) / 2
            let belowQuantile = upperTail ? gsl_cdf_beta_Q(mid, a, b) > p : gsl_cdf_beta_P(mid, a, b) < p
            if belowQuantile { low = mid } else { high = mid }
        }
        return try Validation.gslValue(
            (low + high) / 2, "beta quantile by bisection (\(upperTail ? "upper" : "lower") tail \(p), \(a), \(b))")
    }

    /// Φ⁻¹(1 − tail) for tail in (0, 1/2] (`gsl_cdf_ugaussian_Qinv`).
    static func normalUpperQuantile(_ tail: Double) throws -> Double {
        try Validation.gslValue(gsl_cdf_ugaussian_Qinv(tail), "gsl_cdf_ugaussian_Qinv(\(tail))")
    }

    /// t₍₁₋α/₂, df₎ · standardError for the confidence `level`; 0 when the standard error is 0.
    static func tHalfWidth(standardError: Double, df: Double, level: Double) throws -> Double {
        guard standardError > 0 else { return 0 }
        let tail = (1 - level) / 2
        let q = try Validation.gslValue(gsl_cdf_tdist_Qinv(tail, df), "gsl_cdf_tdist_Qinv(\(tail), \(df))")
        return q * standardError
    }

    /// Wilson bounds for a validated count and a known normal quantile z.
    static func wilsonBounds(successes k: Int, trials n: Int, z: Double) -> Interval {
        let nn = Double(n)
        let p = Double(k) / nn
        let z2 = z * z
        let denominator = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        let lower = k == 0 ? 0 : max(centre - half, 0)
        let upper = k == n ? 1 : min(centre + half, 1)
        return Interval(lower: lower, upper: upper)
    }
}
