import CGSL
import Foundation
import Stochastics

/// Daily signups over the calibration period: the mean, a dispersion test against Poisson, a chi-square test of
/// the weekly pattern and a linear trend test.
///
/// Weekday multipliers are indexed from the period's first day (the calibrated scenario's day 0), the way the
/// scenario format indexes `traffic.weekly`. The dispersion index φ = Σ (x − m_w)² / m_w / (D − 7) uses the
/// weekday means m_w (so a weekly pattern is not mistaken for overdispersion); under Poisson arrivals
/// (D − 7)·φ ~ χ²(D − 7). The weekly statistic Σ_w (O_w − E_w)² / E_w (E_w: the weekday's days × the overall
/// mean) has 6 degrees of freedom; it is divided by φ when φ > 1 (quasi-Poisson), so overdispersion alone does not
/// make a weekly pattern. Tests use α = ``alpha``.
public struct TrafficEstimate: Sendable, Equatable {
    public static let alpha = 0.01

    public var days: Int
    public var counts: [Int]
    public var mean: Double
    public var meanInterval: Interval
    /// φ and the two-sided p of the dispersion test; nil with fewer than 8 days.
    public var dispersion: Double?
    public var dispersionP: Double?
    /// The weekly chi-square statistic and p; nil with fewer than 14 days.
    public var weeklyStatistic: Double?
    public var weeklyP: Double?
    /// Multipliers (mean 1) when the weekly test rejects a flat week.
    public var weekly: [Double]?
    /// Signups per day gained per day (least squares on the weekday-adjusted counts) and its p; nil under 8 days.
    public var trendSlope: Double?
    public var trendP: Double?

    /// Arrivals the scenario format can express: `constant` when the counts are significantly under-dispersed.
    public var constantArrivals: Bool {
        guard let dispersion, let dispersionP else { return false }
        return dispersion < 1 && dispersionP < Self.alpha
    }

    public var overdispersed: Bool {
        guard let dispersion, let dispersionP else { return false }
        return dispersion > 1 && dispersionP < Self.alpha
    }

    public var trendIsSignificant: Bool { (trendP ?? 1) < Self.alpha }

    public init(counts: [Int]) {
        GSL.prepare()
        days = counts.count
        self.counts = counts
        let d = Double(counts.count)
        let total = Double(counts.reduce(0, +))
        mean = d > 0 ? total / d : 0
        var weekdayMeans = Array(repeating: mean, count: 7)
        var weekdayDays = Array(repeating: 0, count: 7)
        var weekdayTotals = Array(repeating: 0.0, count: 7)
        for (day, x) in counts.enumerated() {
            weekdayDays[day % 7] += 1
            weekdayTotals[day % 7] += Double(x)
        }
        for w in 0..<7 where weekdayDays[w] > 0 { weekdayMeans[w] = weekdayTotals[w] / Double(weekdayDays[w]) }
        var phi = 1.0
        if counts.count >= 8 && mean > 0 {
            var statistic = 0.0
            for (day, x) in counts.enumerated() {
                let expected = weekdayMeans[day % 7]
                if expected > 0 { statistic += (Double(x) - expected) * (Double(x) - expected) / expected }
            }
            let df = d - 7
            phi = statistic / df
            let upper = gsl_cdf_chisq_Q(statistic, df)
            let lower = gsl_cdf_chisq_P(statistic, df)
            dispersion = phi
            dispersionP = min(1, 2 * min(upper, lower))
        }
        let z = Distributions.normalQuantile(0.975)
        let se = d > 0 ? (max(phi, 1e-12) * mean / d).squareRoot() : 0
        meanInterval = Interval(lower: max(0, mean - z * se), upper: mean + z * se)
        if counts.count >= 14 && mean > 0 {
            var statistic = 0.0
            for w in 0..<7 {
                let expected = Double(weekdayDays[w]) * mean
                statistic += (weekdayTotals[w] - expected) * (weekdayTotals[w] - expected) / expected
            }
            if phi > 1 { statistic /= phi }
            weeklyStatistic = statistic
            let p = gsl_cdf_chisq_Q(statistic, 6)
            weeklyP = p
            if p < Self.alpha { weekly = weekdayMeans.map { $0 / mean } }
        }
        if counts.count >= 8 && mean > 0 {
            let multipliers = weekly ?? Array(repeating: 1, count: 7)
            let ys = counts.enumerated().map { Double($0.element) / max(multipliers[$0.offset % 7], 1e-9) }
            let xs = (0..<counts.count).map(Double.init)
            let xMean = xs.reduce(0, +) / d
            let yMean = ys.reduce(0, +) / d
            var sxy = 0.0
            var sxx = 0.0
            for i in 0..<counts.count {
                sxy += (xs[i] - xMean) * (ys[i] - yMean)
                sxx += (xs[i] - xMean) * (xs[i] - xMean)
            }
            let slope = sxy / sxx
            var residuals = 0.0
            for i in 0..<counts.count {
                let r = ys[i] - yMean - slope * (xs[i] - xMean)
                residuals += r * r
            }
            let seSlope = (residuals / (d - 2) / sxx).squareRoot()
            trendSlope = slope
            trendP = seSlope > 0 ? 2 * gsl_cdf_tdist_Q(abs(slope / seSlope), d - 2) : 1
        }
    }
}
