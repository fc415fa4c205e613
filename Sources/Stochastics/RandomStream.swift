import CGSL

/// One owned GSL generator: a named stream of pseudo-random numbers.
///
/// Each stream owns its `gsl_rng` and frees it on deinit. A stream is deliberately not `Sendable`: it belongs to
/// one replicate on one thread and is never shared (GSL generators are not thread-safe, GSL manual §18.1).
public final class RandomStream {
    /// The generator algorithms the lab offers. `mt19937` (Matsumoto & Nishimura 1998) is the default.
    public enum Algorithm: String, Sendable, CaseIterable {
        case mt19937, ranlxd2, taus2

        var gslType: UnsafePointer<gsl_rng_type> {
            switch self {
            case .mt19937: return cgsl_rng_mt19937()
            case .ranlxd2: return cgsl_rng_ranlxd2()
            case .taus2: return cgsl_rng_taus2()
            }
        }
    }

    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let seed: UInt64
    public let algorithm: Algorithm

    /// Allocates a generator seeded with `seed` (GSL reads the low 32 bits for mt19937).
    public init(seed: UInt64, algorithm: Algorithm = .mt19937) {
        GSL.prepare()
        guard let rng = gsl_rng_alloc(algorithm.gslType) else {
            // gsl_rng_alloc fails only when malloc fails; nothing sensible can continue.
            preconditionFailure("gsl_rng_alloc failed: out of memory")
        }
        gsl_rng_set(rng, UInt(truncatingIfNeeded: seed))
        self.rng = rng
        self.seed = seed
        self.algorithm = algorithm
    }

    /// The stream `name` of `replicate`, seeded by ``SeedDerivation``.
    public convenience init(
        master: UInt64, replicate: Int, stream: SeedDerivation.Stream, algorithm: Algorithm = .mt19937
    ) {
        self.init(seed: SeedDerivation.seed(master: master, replicate: replicate, stream: stream), algorithm: algorithm)
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`).
    @inlinable
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform double in (0, 1) (`gsl_rng_uniform_pos`).
    @inlinable
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// True with probability `p` (`p` outside [0, 1] is clamped).
    @inlinable
    public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(rng) < p }

    /// A uniform integer in 0..<n (`gsl_rng_uniform_int`); `n` must be ≥ 1.
    @inlinable
    public func uniformInt(_ n: Int) -> Int {
        precondition(n >= 1, "uniformInt needs n >= 1")
        return Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// Index `i` with probability `weights[i] / Σ weights`, by one uniform and a linear walk (O(n)).
    ///
    /// Weights must be finite and ≥ 0 with a positive sum; returns nil otherwise. One uniform is consumed in
    /// every case with a positive sum, so callers keep stream alignment.
    public func weightedIndex(_ weights: [Double]) -> Int? {
        WeightedChoice.index(weights, u: uniform())
    }

    /// Beta(a, b) (`gsl_ran_beta`, GSL manual §20.17); a, b > 0.
    @inlinable
    public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// Poisson(mu) (`gsl_ran_poisson`, §20.32); mu ≥ 0.
    @inlinable
    public func poisson(_ mu: Double) -> Int { mu <= 0 ? 0 : Int(gsl_ran_poisson(rng, mu)) }

    /// Lognormal with location zeta = ln(median) and scale sigma (`gsl_ran_lognormal`, §20.14).
    @inlinable
    public func lognormal(zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, zeta, sigma) }

    /// Gaussian with mean 0 and standard deviation sigma (`gsl_ran_gaussian_ziggurat`, §20.2).
    @inlinable
    public func gaussian(sigma: Double = 1) -> Double { gsl_ran_gaussian_ziggurat(rng, sigma) }

    /// Exponential with the given mean (`gsl_ran_exponential`, §20.5).
    @inlinable
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

    /// Binomial(n, p) (`gsl_ran_binomial`, §20.30).
    @inlinable
    public func binomial(n: Int, p: Double) -> Int { Int(gsl_ran_binomial(rng, p, UInt32(clamping: n))) }
}

/// Weighted choice by inversion of one uniform, shared by the stream and by callers that hold a latent uniform.
public enum WeightedChoice {
    /// The index whose cumulative weight first exceeds `u · Σ weights`; nil when no weight is positive.
    public static func index(_ weights: [Double], u: Double) -> Int? {
        var total = 0.0
        for w in weights where w > 0 && w.isFinite { total += w }
        guard total > 0 else { return nil }
        let target = u * total
        var cumulative = 0.0
        var last = 0
        for (i, w) in weights.enumerated() where w > 0 && w.isFinite {
            cumulative += w
            last = i
            if target < cumulative { return i }
        }
        return last
    }
}
