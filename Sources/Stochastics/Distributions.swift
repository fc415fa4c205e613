import CGSL

/// Closed-form distribution functions used by the simulator and the oracle (GSL manual §20, §21 "cdf").
public enum Distributions {
    /// Φ(x), the standard normal CDF (`gsl_cdf_ugaussian_P`).
    @inlinable public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }

    /// Φ⁻¹(p) (`gsl_cdf_ugaussian_Pinv`); p in (0, 1).
    @inlinable public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }

    /// The lognormal(ln median, sigma) truncated to (0, upper]: its quantile at `u` ∈ [0, 1).
    ///
    /// x = exp(μ + σ Φ⁻¹(u · Φ((ln upper − μ)/σ))). With sigma = 0 the distribution is the point `median`
    /// (capped at `upper`).
    public static func truncatedLognormalQuantile(median: Double, sigma: Double, upper: Double, u: Double) -> Double {
        guard sigma > 0 else { return min(median, upper) }
        let mu = log(median)
        let mass = normalCDF((log(upper) - mu) / sigma)
        let p = min(max(u * mass, Double.leastNormalMagnitude), mass)
        let x = exp(mu + sigma * normalQuantile(p))
        return min(x, upper)
    }

    /// E[X | X ≤ upper] for X ~ lognormal(ln median, sigma), in closed form:
    /// exp(μ + σ²/2) · Φ((ln upper − μ − σ²)/σ) / Φ((ln upper − μ)/σ)
    /// (Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* vol. 1, §14.3, partial moments).
    public static func truncatedLognormalMean(median: Double, sigma: Double, upper: Double) -> Double {
        guard sigma > 0 else { return min(median, upper) }
        let mu = log(median)
        let z = (log(upper) - mu) / sigma
        let mass = normalCDF(z)
        guard mass > 0 else { return upper }
        return exp(mu + sigma * sigma / 2) * normalCDF(z - sigma) / mass
    }
}
