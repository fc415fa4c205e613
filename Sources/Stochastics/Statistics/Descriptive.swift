import CGSL

/// Descriptive statistics of one sample, computed by GSL.
///
/// Every function rejects an empty sample and non-finite values with ``StatisticsError``.
/// Reference: GSL manual, chapter "Statistics" (sections "Mean, Standard Deviation and Variance" and
/// "Median and Percentiles").
public enum Descriptive {
    /// The arithmetic mean (`gsl_stats_mean`, a running-mean recurrence; GSL manual, "Statistics › Mean,
    /// Standard Deviation and Variance").
    ///
    /// - Parameter x: at least one finite value.
    public static func mean(_ x: [Double]) throws -> Double {
        GSL.prepare()
        try Validation.sample(x, in: "mean")
        return try Validation.finite(unsafeMean(x), "the mean", in: "mean")
    }

    /// The sample variance with divisor n − 1 (`gsl_stats_variance_m`, two passes: the mean, then the squared
    /// deviations from it; GSL manual, "Statistics › Mean, Standard Deviation and Variance").
    ///
    /// - Parameter x: at least two finite values. A sample of equal values has variance exactly 0.
    public static func variance(_ x: [Double]) throws -> Double {
        GSL.prepare()
        try Validation.sample(x, minimumCount: 2, in: "variance")
        let mean = unsafeMean(x)
        return try Validation.finite(unsafeVariance(x, mean: mean), "the variance", in: "variance")
    }

    /// The sample standard deviation, the square root of ``variance(_:)`` (divisor n − 1; GSL manual,
    /// "Statistics › Mean, Standard Deviation and Variance").
    ///
    /// - Parameter x: at least two finite values.
    public static func standardDeviation(_ x: [Double]) throws -> Double {
        try variance(x).squareRoot()
    }

    /// The sample quantile of type 7 in Hyndman & Fan (1996), the default of R and NumPy.
    ///
    /// Sorts a copy (`gsl_sort`) and interpolates linearly between order statistics
    /// (`gsl_stats_quantile_from_sorted_data`): with h = (n − 1)·p, the result is
    /// x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) (0-based order statistics).
    /// Reference: Hyndman & Fan, "Sample quantiles in statistical packages", *The American Statistician*
    /// 50 (1996) 361–365; GSL manual, "Median and Percentiles". O(n log n).
    ///
    /// - Parameters:
    ///   - x: at least one finite value.
    ///   - p: the probability, in [0, 1]; 0 gives the minimum and 1 the maximum.
    public static func quantile(_ x: [Double], _ p: Double) throws -> Double {
        GSL.prepare()
        try Validation.sample(x, in: "quantile")
        try Validation.probability(p, in: "quantile")
        let sorted = sortedCopy(x)
        let q = sorted.withUnsafeBufferPointer { buffer -> Double in
            guard let base = buffer.baseAddress else { return .nan }
            return gsl_stats_quantile_from_sorted_data(base, 1, buffer.count, p)
        }
        return try Validation.gslValue(q, "gsl_stats_quantile_from_sorted_data(n: \(x.count), p: \(p))")
    }

    /// The sample median: the middle order statistic, or the mean of the two middle ones when n is even.
    ///
    /// Equal to the type-7 quantile at p = 0.5; a sorted copy goes to `gsl_stats_median_from_sorted_data`
    /// (GSL manual, "Statistics › Median and Percentiles"). O(n log n).
    ///
    /// - Parameter x: at least one finite value.
    public static func median(_ x: [Double]) throws -> Double {
        GSL.prepare()
        try Validation.sample(x, in: "median")
        return unsafeMedian(x)
    }
}

// MARK: - Unchecked kernels, for callers that validated the sample already

extension Descriptive {
    /// `gsl_stats_mean` on a non-empty sample.
    static func unsafeMean(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .nan }
            return gsl_stats_mean(base, 1, buffer.count)
        }
    }

    /// `gsl_stats_variance_m` (divisor n − 1) on a sample of at least two values, about a known mean.
    static func unsafeVariance(_ x: [Double], mean: Double) -> Double {
        x.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .nan }
            return gsl_stats_variance_m(base, 1, buffer.count, mean)
        }
    }

    /// A sorted copy (`gsl_sort`, in place on the copy).
    static func sortedCopy(_ x: [Double]) -> [Double] {
        var copy = x
        copy.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            gsl_sort(base, 1, buffer.count)
        }
        return copy
    }

    /// `gsl_stats_median_from_sorted_data` on a sorted copy of a non-empty sample.
    static func unsafeMedian(_ x: [Double]) -> Double {
        medianOfSorted(sortedCopy(x))
    }

    /// `gsl_stats_median_from_sorted_data` on data already sorted ascending.
    static func medianOfSorted(_ sorted: [Double]) -> Double {
        sorted.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .nan }
            return gsl_stats_median_from_sorted_data(base, 1, buffer.count)
        }
    }
}
