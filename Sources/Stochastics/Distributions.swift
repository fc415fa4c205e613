import CGSL

/// Closed-form distribution functions used by the simulator and the oracle (GSL manual §20, §21 "cdf").
public enum Distributions {
    /// Φ(x), the standard normal CDF (`gsl_cdf_ugaussian_P`).
    @inlinable public static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }

    /// Φ⁻¹(p) (`gsl_cdf_ugaussian_Pinv`); p in (0, 1).
    @inlinable public static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }

    /// A user's own rate: the quantile at `u` ∈ [0, 1) of Beta(mean·c, (1 − mean)·c), the Beta with this mean
    /// and variance mean·(1 − mean)/(c + 1). An infinite concentration, or a mean of 0 or 1, is the point `mean`.
    ///
    /// `gsl_cdf_beta_Pinv` is fast but inaccurate for small shape parameters (at mean 0.05 and c = 0.5 its
    /// quantiles average 0.079), so its answer is accepted only when `gsl_cdf_beta_P` maps it back to `u` within
    /// 10⁻⁹; otherwise the quantile is found by bisection on `gsl_cdf_beta_P` (to 2⁻⁶⁰). Above a concentration of
    /// 10⁷ (a standard deviation below 1.6·10⁻⁴) the normal approximation mean + sd·Φ⁻¹(u), clamped to [0, 1],
    /// is used.
    public static func betaRate(mean: Double, concentration c: Double, u: Double) -> Double {
        guard c.isFinite, mean > 0, mean < 1 else { return mean }
        if c > 1e7 {
            let sd = (mean * (1 - mean) / (c + 1)).squareRoot()
            let p = min(max(u, Double.leastNormalMagnitude), 1 - Double.ulpOfOne)
            return min(max(mean + sd * normalQuantile(p), 0), 1)
        }
        let a = mean * c
        let b = (1 - mean) * c
        let guess = gsl_cdf_beta_Pinv(u, a, b)
        if guess.isFinite, guess >= 0, guess <= 1, abs(gsl_cdf_beta_P(guess, a, b) - u) < 1e-9 { return guess }
        var low = 0.0
        var high = 1.0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if gsl_cdf_beta_P(mid, a, b) < u { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// The exponential with this median truncated to (0, upper]: its quantile at `u` ∈ [0, 1),
    /// −μ·ln(1 − u·(1 − e^(−upper/μ))) with μ = median / ln 2.
    public static func truncatedExponentialQuantile(median: Double, upper: Double, u: Double) -> Double {
        let mu = median / M_LN2
        let mass = 1 - exp(-upper / mu)
        return -mu * log1p(-u * mass)
    }

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
