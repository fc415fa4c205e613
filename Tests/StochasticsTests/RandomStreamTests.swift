import Foundation
import Stochastics
import Testing

/// Samplers against their known moments. Each check allows 5 standard errors of the sample mean (a false
/// failure rate below 1e-6 per check); the sample size is stated.
@Suite("Random streams and samplers")
struct RandomStreamTests {
    static let n = 200_000

    static func check(_ label: String, _ draws: [Double], mean: Double, variance: Double) {
        let m = draws.reduce(0, +) / Double(draws.count)
        let tolerance = 5 * (variance / Double(draws.count)).squareRoot()
        #expect(
            abs(m - mean) < tolerance,
            "\(label): sample mean \(m), expected \(mean) ± \(tolerance) (n = \(draws.count))")
        let v = draws.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(draws.count - 1)
        #expect(abs(v - variance) / variance < 0.03, "\(label): sample variance \(v), expected \(variance)")
    }

    @Test func uniformBernoulliBetaPoissonLognormal() {
        let s = RandomStream(seed: 123)
        Self.check("uniform", (0..<Self.n).map { _ in s.uniform() }, mean: 0.5, variance: 1.0 / 12)
        Self.check("bernoulli(0.3)", (0..<Self.n).map { _ in s.bernoulli(0.3) ? 1 : 0 }, mean: 0.3, variance: 0.21)
        // Beta(a, b): mean a/(a+b), variance ab/((a+b)²(a+b+1)).
        Self.check("beta(2,5)", (0..<Self.n).map { _ in s.beta(2, 5) }, mean: 2.0 / 7, variance: 10.0 / (49 * 8))
        Self.check("poisson(7.5)", (0..<Self.n).map { _ in Double(s.poisson(7.5)) }, mean: 7.5, variance: 7.5)
        // Lognormal(ζ, σ): mean e^{ζ+σ²/2}, variance (e^{σ²} − 1) e^{2ζ+σ²}.
        let zeta = log(90.0)
        let sigma = 0.5
        Self.check(
            "lognormal", (0..<Self.n).map { _ in s.lognormal(zeta: zeta, sigma: sigma) },
            mean: exp(zeta + sigma * sigma / 2), variance: (exp(sigma * sigma) - 1) * exp(2 * zeta + sigma * sigma))
    }

    @Test func weightedChoiceIsProportional() {
        let s = RandomStream(seed: 9)
        let weights = [1.0, 0.0, 3.0, 0.5]
        var counts = [0, 0, 0, 0]
        for _ in 0..<Self.n { counts[s.weightedIndex(weights) ?? -1] += 1 }
        #expect(counts[1] == 0)
        for (i, w) in weights.enumerated() where w > 0 {
            let p = w / 4.5
            let observed = Double(counts[i]) / Double(Self.n)
            #expect(
                abs(observed - p) < 5 * (p * (1 - p) / Double(Self.n)).squareRoot(), "index \(i): \(observed) vs \(p)")
        }
        #expect(s.weightedIndex([0, 0]) == nil)
        #expect(WeightedChoice.index([2, 2], u: 0.49) == 0)
        #expect(WeightedChoice.index([2, 2], u: 0.5) == 1)
    }

    /// The derivation is part of the output contract: pinned values, and streams that differ by name and replicate.
    @Test func seedDerivationIsStableAndSeparatesStreams() {
        let user = SeedDerivation.seed(master: 42, replicate: 0, stream: .user)
        #expect(user == SeedDerivation.seed(master: 42, replicate: 0, stream: "user"))
        #expect(user != SeedDerivation.seed(master: 42, replicate: 0, stream: .policy))
        #expect(user != SeedDerivation.seed(master: 42, replicate: 1, stream: .user))
        #expect(user != SeedDerivation.seed(master: 43, replicate: 0, stream: .user))
        #expect(user < 1 << 32 && user > 0)
        // FNV-1a-64 of "a" is 0xaf63dc4c8601ec8c (the published test vector).
        #expect(SeedDerivation.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        // Two streams with the same seed give the same draws; different replicates do not.
        let a = RandomStream(master: 42, replicate: 3, stream: .policy)
        let b = RandomStream(master: 42, replicate: 3, stream: .policy)
        let c = RandomStream(master: 42, replicate: 4, stream: .policy)
        let da = (0..<5).map { _ in a.uniform() }
        #expect(da == (0..<5).map { _ in b.uniform() })
        #expect(da != (0..<5).map { _ in c.uniform() })
    }

    /// GSL's error handler is off: a failing GSL call comes back as a Swift error instead of aborting.
    @Test func gslStatusBecomesASwiftError() throws {
        // ∫₀¹ x² dx = 1/3.
        let ok = try Quadrature.integrate({ $0 * $0 }, from: 0, to: 1)
        #expect(abs(ok.value - 1.0 / 3) < 1e-12)
        // 1/x on [−1, 1] has a non-integrable singularity: QAGS reports a status, which must throw.
        #expect(throws: GSLError.self) { try Quadrature.integrate({ 1 / $0 }, from: -1, to: 1, limit: 50) }
        let error = GSLError(status: 1, operation: "test")
        #expect(error.description.contains("input domain error"), "\(error)")
    }

    @Test func truncatedLognormal() throws {
        // The quantile at u maps into (0, upper]; the mean matches QAGS on the density (relative 1e-8).
        let median = 90.0
        let sigma = 0.8
        let upper = 10_080.0
        #expect(Distributions.truncatedLognormalQuantile(median: median, sigma: sigma, upper: upper, u: 0.5) < median)
        #expect(
            Distributions.truncatedLognormalQuantile(median: median, sigma: sigma, upper: upper, u: 0.999_999) <= upper)
        let mu = log(median)
        let density: (Double) -> Double = { x in
            x <= 0 ? 0 : exp(-pow(log(x) - mu, 2) / (2 * sigma * sigma)) / (x * sigma * (2 * Double.pi).squareRoot())
        }
        let mass = try Quadrature.integrate(density, from: 0, to: upper).value
        let first = try Quadrature.integrate({ $0 * density($0) }, from: 0, to: upper).value
        let closed = Distributions.truncatedLognormalMean(median: median, sigma: sigma, upper: upper)
        #expect(abs(closed - first / mass) / closed < 1e-8, "closed \(closed), QAGS \(first / mass)")
    }
}
