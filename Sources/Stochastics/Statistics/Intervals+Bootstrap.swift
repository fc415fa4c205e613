import CGSL

extension Intervals {
    /// The percentile bootstrap confidence interval for the mean (Efron & Tibshirani, *An Introduction to the
    /// Bootstrap*, 1993, §13.3): `resamples` samples of size n drawn with replacement from `x` by a GSL mt19937
    /// generator seeded with `seed`; the bounds are the α/2 and 1 − α/2 quantiles of their means
    /// (`gsl_stats_quantile_from_sorted_data`, linear interpolation).
    ///
    /// Unlike x̄ ± t·s/√n, the bounds never leave [min x, max x]: the interval of a metric that cannot be negative
    /// (regret, days, counts) is never negative, and that of a rate stays in [0, 1]. Deterministic for a given
    /// `seed`. With n = 1 or all values equal the interval has zero width at the mean (no spread to resample).
    ///
    /// - Parameters:
    ///   - x: at least one finite value.
    ///   - level: the confidence level, in (0, 1).
    ///   - resamples: ≥ 100; 4,000 keeps the Monte Carlo error of a 95% bound near 1% of the interval's width.
    public static func bootstrapMean(
        _ x: [Double], level: Double = 0.95, resamples: Int = 4000, seed: UInt64 = 1
    ) throws -> MeanEstimate {
        let estimate = try tMean(x, level: level)
        guard x.count >= 2, estimate.standardDeviation > 0 else {
            return MeanEstimate(
                n: estimate.n, mean: estimate.mean, standardDeviation: estimate.standardDeviation,
                interval: Interval(point: estimate.mean))
        }
        guard resamples >= 100 else {
            throw StatisticsError("bootstrapMean: resamples must be at least 100, found \(resamples)")
        }
        let stream = RandomStream(seed: seed)
        let n = x.count
        var means = [Double](repeating: 0, count: resamples)
        for b in 0..<resamples {
            var sum = 0.0
            for _ in 0..<n { sum += x[stream.uniformInt(n)] }
            means[b] = sum / Double(n)
        }
        means.sort()
        let alpha = 1 - level
        let (lower, upper) = means.withUnsafeBufferPointer { buffer -> (Double, Double) in
            guard let base = buffer.baseAddress else { return (estimate.mean, estimate.mean) }
            return (
                gsl_stats_quantile_from_sorted_data(base, 1, resamples, alpha / 2),
                gsl_stats_quantile_from_sorted_data(base, 1, resamples, 1 - alpha / 2)
            )
        }
        return MeanEstimate(
            n: n, mean: estimate.mean, standardDeviation: estimate.standardDeviation,
            interval: Interval(lower: min(lower, estimate.mean), upper: max(upper, estimate.mean)))
    }
}
