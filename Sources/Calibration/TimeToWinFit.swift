import CGSL
import Foundation
import Stochastics

/// The time to first win fitted by maximum likelihood to the activated users' times, respecting the truncation
/// at 7 days: a lognormal (µ, log σ) and an exponential (log λ), both truncated at `upper`, the one with the lower
/// AIC kept. Times are whole minutes rounded up (the simulator's and the engine's convention), so the fit uses
/// t − 0.5. Standard errors come from the observed information (finite-difference Hessian of the log-likelihood).
public struct TimeToWinFit: Sendable, Equatable {
    public enum Family: String, Sendable, Equatable {
        case lognormal, exponential
    }

    public var family: Family
    /// Lognormal: µ = log median; exponential: log λ.
    public var location: Double
    /// Lognormal: log σ; unused (0) for the exponential.
    public var logSigma: Double
    /// Covariance of (location, logSigma) (1×1 for the exponential).
    public var covariance: [[Double]]
    public var sample: Int
    public var aicLognormal: Double?
    public var aicExponential: Double

    /// The median of the untruncated distribution, in minutes.
    public var medianMinutes: Double { family == .lognormal ? exp(location) : log(2) / exp(location) }
    public var sigma: Double { exp(logSigma) }

    /// The 95% interval of the median (delta method on the log scale).
    public var medianInterval: Interval {
        let se = covariance[0][0].squareRoot()
        let z = Distributions.normalQuantile(0.975)
        if family == .lognormal { return Interval(lower: exp(location - z * se), upper: exp(location + z * se)) }
        return Interval(lower: log(2) / exp(location + z * se), upper: log(2) / exp(location - z * se))
    }

    /// The 95% interval of σ (lognormal only).
    public var sigmaInterval: Interval? {
        guard family == .lognormal, covariance.count == 2 else { return nil }
        let se = covariance[1][1].squareRoot()
        let z = Distributions.normalQuantile(0.975)
        return Interval(lower: exp(logSigma - z * se), upper: exp(logSigma + z * se))
    }

    /// Fits the times (minutes, each in 1…upper). Nil with fewer than `minimum` times (at least 2).
    public static func fit(minutes: [Int], upper: Double = 10080, minimum: Int = 2) throws -> TimeToWinFit? {
        let times = minutes.map { max(Double($0) - 0.5, 0.5) }
        guard times.count >= max(2, minimum) else { return nil }
        let n = Double(times.count)
        let logs = times.map { log($0) }
        let sumLog = logs.reduce(0, +)
        let sumTimes = times.reduce(0, +)
        let logUpper = log(upper)

        // Exponential: −ℓ(log λ) = −n log λ + λ Σt + n log(1 − e^{−λU}).
        let exponentialNLL: ([Double]) -> Double = { p in
            let lambda = exp(p[0])
            return -n * p[0] + lambda * sumTimes + n * log(-expm1(-lambda * upper))
        }
        // The likelihood equation is E[T | T ≤ U] = mean: monotone in λ, solved by bisection on log λ (the
        // simplex is for the two-parameter fit). A mean at or above U/2 has no λ > 0; the smallest is kept.
        let sampleMean = sumTimes / n
        func truncatedMean(_ logLambda: Double) -> Double {
            let lambda = exp(logLambda)
            return 1 / lambda - upper / expm1(lambda * upper)
        }
        var low = log(1e-3 / upper)
        var high = log(1e3 / max(times.min() ?? 1, 1e-3))
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if truncatedMean(mid) > sampleMean { low = mid } else { high = mid }
        }
        let expBest = [0.5 * (low + high)]
        let expHessian = Minimizer.hessian(exponentialNLL, at: expBest, h: [1e-4])
        let aicExponential = 2 * 1 + 2 * exponentialNLL(expBest)

        // Lognormal: −ℓ(µ, log σ) = Σ [log σ + z²/2 + log t + log √(2π)] + n log Φ((log U − µ)/σ).
        let distinct = Set(minutes).count
        var lognormal: (best: [Double], covariance: [[Double]]?, aic: Double)?
        if distinct >= 2 {
            let lognormalNLL: ([Double]) -> Double = { p in
                let mu = p[0]
                let sigma = exp(p[1])
                var squares = 0.0
                for l in logs { squares += (l - mu) * (l - mu) }
                let x = (logUpper - mu) / sigma
                let logPhi = log(0.5) + gsl_sf_log_erfc(-x / 2.0.squareRoot())
                return n * p[1] + squares / (2 * sigma * sigma) + sumLog + n * 0.5 * log(2 * Double.pi) + n * logPhi
            }
            let mean = sumLog / n
            let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            let start = [mean, 0.5 * log(max(variance, 1e-6))]
            let best = try Minimizer.minimize(lognormalNLL, start: start, step: [0.5, 0.3])
            let hessian = Minimizer.hessian(lognormalNLL, at: best, h: [1e-4, 1e-4])
            lognormal = (best, Minimizer.inverse(hessian), 2 * 2 + 2 * lognormalNLL(best))
        }
        if let lognormal, let covariance = lognormal.covariance, lognormal.aic <= aicExponential {
            return TimeToWinFit(
                family: .lognormal, location: lognormal.best[0], logSigma: lognormal.best[1], covariance: covariance,
                sample: times.count, aicLognormal: lognormal.aic, aicExponential: aicExponential)
        }
        guard let covariance = Minimizer.inverse(expHessian) else {
            throw StatisticsError("time to first win: the exponential fit's information is not positive")
        }
        return TimeToWinFit(
            family: .exponential, location: expBest[0], logSigma: 0, covariance: covariance, sample: times.count,
            aicLognormal: lognormal?.aic, aicExponential: aicExponential)
    }

    /// One draw of (median, σ) from the asymptotic normal posterior of the fitted parameters.
    public func draw(_ random: RandomStream) -> (median: Double, sigma: Double) {
        let z1 = random.gaussian()
        let z2 = random.gaussian()
        if family == .exponential || covariance.count < 2 {
            let logLambda = location + covariance[0][0].squareRoot() * z1
            return (log(2) / exp(logLambda), 0)
        }
        // Cholesky factor of the 2×2 covariance.
        let l11 = covariance[0][0].squareRoot()
        let l21 = l11 > 0 ? covariance[1][0] / l11 : 0
        let l22 = max(covariance[1][1] - l21 * l21, 0).squareRoot()
        let mu = location + l11 * z1
        let logSigma = self.logSigma + l21 * z1 + l22 * z2
        return (exp(mu), exp(logSigma))
    }
}
