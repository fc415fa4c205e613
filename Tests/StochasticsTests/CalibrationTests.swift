import Stochastics
import Testing

/// Three binomial standard errors of a rate `p` estimated from `count` independent data sets: 3·√(p(1 − p)/N).
/// For p = 0.05 and N = 2,000 it is 0.0146; for p = 0.95 and N = 4,000 it is 0.0103.
func threeSigma(_ p: Double, _ count: Int) -> Double {
    3 * (p * (1 - p) / Double(count)).squareRoot()
}

/// Calibration under true null hypotheses, with data drawn from GSL generators at fixed seeds (so the outcome is
/// deterministic; the tolerances say how unlikely a failure would be for a correct implementation, about 0.3%
/// per two-sided check). Every failing expectation prints the observed rate.
///
/// Exact and continuity-corrected tests (Wilcoxon exact, McNemar) are conservative by construction, so their
/// rejection rates are bounded from above only (one-sided: rate ≤ α + 3σ); a lower "sanity" bound of α/2 catches a
/// test that never rejects, which an upper bound alone would let through.
@Suite("Calibration under true nulls")
struct CalibrationTests {
    static let alpha = 0.05

    /// (a) Paired, skewed, regret-like outcomes with equal means: a shared per-pair component (exponential, mean 2)
    /// plus an independent Gamma(2, 1) for each arm (drawn as the sum of two unit exponentials), n = 30 pairs,
    /// 2,000 data sets. The differences are symmetric about 0, so both the paired t-test and the signed-rank test are
    /// valid. The t-test's true level for this law is 0.0485 (NumPy simulation of 100,000 data sets with
    /// `rng.gamma(2, 1, (N, 30)) - rng.gamma(2, 1, (N, 30))` and `scipy.stats.t.sf`), inside the band below.
    /// - paired t rejection rate: 0.05 ± 3σ (two-sided);
    /// - 95% t interval covers the true mean difference 0: 0.95 ± 3σ (two-sided);
    /// - Wilcoxon (exact at n = 30, continuous data): rate ≤ 0.05 + 3σ (one-sided) and ≥ 0.025 (sanity).
    @Test func pairedTestsOnSkewedPairs() throws {
        let stream = RandomStream(seed: 20_250_301)
        let sets = 2_000
        var tRejections = 0
        var covered = 0
        var wilcoxonRejections = 0
        var exactCount = 0
        for _ in 0..<sets {
            var x: [Double] = []
            var y: [Double] = []
            for _ in 0..<30 {
                let shared = stream.exponential(mean: 2)
                x.append(shared + stream.exponential(mean: 1) + stream.exponential(mean: 1))
                y.append(shared + stream.exponential(mean: 1) + stream.exponential(mean: 1))
            }
            let t = try HypothesisTests.pairedT(x, y)
            if t.pValue < Self.alpha { tRejections += 1 }
            if t.interval?.contains(0) == true { covered += 1 }
            let w = try HypothesisTests.wilcoxonSignedRank(x, y)
            if w.pValue < Self.alpha { wilcoxonRejections += 1 }
            if w.method == "exact" { exactCount += 1 }
        }
        let tRate = Double(tRejections) / Double(sets)
        let coverage = Double(covered) / Double(sets)
        let wRate = Double(wilcoxonRejections) / Double(sets)
        let tolerance = threeSigma(Self.alpha, sets)
        #expect(abs(tRate - Self.alpha) <= tolerance, "paired t rejection rate \(tRate), expected 0.05 ± \(tolerance)")
        #expect(
            abs(coverage - 0.95) <= threeSigma(0.95, sets),
            "t interval coverage \(coverage), expected 0.95 ± \(threeSigma(0.95, sets))")
        #expect(wRate <= Self.alpha + tolerance, "Wilcoxon rejection rate \(wRate) > 0.05 + \(tolerance)")
        #expect(wRate >= Self.alpha / 2, "Wilcoxon rejection rate \(wRate) < 0.025: the test barely rejects")
        #expect(exactCount == sets, "only \(exactCount) of \(sets) data sets used the exact distribution")
    }

    /// (a′) The same law rounded to whole units, n = 60 pairs: zeros and ties everywhere, so the signed-rank test
    /// runs its normal approximation with tie and continuity correction (continuity-corrected, hence bounded from
    /// above only, with the α/2 sanity floor). 2,000 data sets.
    @Test func wilcoxonNormalApproximationOnTiedPairs() throws {
        let stream = RandomStream(seed: 20_250_302)
        let sets = 2_000
        var rejections = 0
        var approximated = 0
        for _ in 0..<sets {
            var x: [Double] = []
            var y: [Double] = []
            for _ in 0..<60 {
                let shared = stream.exponential(mean: 2)
                x.append((shared + stream.lognormal(zeta: 0, sigma: 0.8)).rounded())
                y.append((shared + stream.lognormal(zeta: 0, sigma: 0.8)).rounded())
            }
            let w = try HypothesisTests.wilcoxonSignedRank(x, y)
            if w.pValue < Self.alpha { rejections += 1 }
            if w.method.hasPrefix("normal approximation with tie") { approximated += 1 }
        }
        let rate = Double(rejections) / Double(sets)
        let tolerance = threeSigma(Self.alpha, sets)
        #expect(rate <= Self.alpha + tolerance, "tied Wilcoxon rejection rate \(rate) > 0.05 + \(tolerance)")
        #expect(rate >= Self.alpha / 2, "tied Wilcoxon rejection rate \(rate) < 0.025: the test barely rejects")
        #expect(approximated == sets, "only \(approximated) of \(sets) data sets used the tied normal approximation")
    }

    /// Two independent samples from the same skewed law (lognormal(0, 0.8), 15 each), 2,000 data sets. With equal
    /// sample sizes the Welch statistic is symmetric about 0 under H₀, so its level holds approximately:
    /// 0.05 ± 3σ (two-sided). Mann–Whitney (exact for 15 vs 15 untied): ≤ 0.05 + 3σ, ≥ 0.025 (sanity).
    @Test func twoSampleTestsOnSkewedSamples() throws {
        let stream = RandomStream(seed: 20_250_303)
        let sets = 2_000
        var welchRejections = 0
        var mannWhitneyRejections = 0
        for _ in 0..<sets {
            let x = (0..<15).map { _ in stream.lognormal(zeta: 0, sigma: 0.8) }
            let y = (0..<15).map { _ in stream.lognormal(zeta: 0, sigma: 0.8) }
            if try HypothesisTests.welchT(x, y).pValue < Self.alpha { welchRejections += 1 }
            if try HypothesisTests.mannWhitneyU(x, y).pValue < Self.alpha { mannWhitneyRejections += 1 }
        }
        let welchRate = Double(welchRejections) / Double(sets)
        let mwRate = Double(mannWhitneyRejections) / Double(sets)
        let tolerance = threeSigma(Self.alpha, sets)
        #expect(
            abs(welchRate - Self.alpha) <= tolerance, "Welch rejection rate \(welchRate), expected 0.05 ± \(tolerance)")
        #expect(mwRate <= Self.alpha + tolerance, "Mann–Whitney rejection rate \(mwRate) > 0.05 + \(tolerance)")
        #expect(mwRate >= Self.alpha / 2, "Mann–Whitney rejection rate \(mwRate) < 0.025: the test barely rejects")
    }

    /// (b) Paired binary outcomes with equal rates: per pair a latent rate p ~ Beta(2, 3), then x, y ~ Bernoulli(p)
    /// independently. 2,000 data sets each of n = 40 pairs (≈ 16 discordant pairs: mostly the exact branch) and
    /// n = 120 (≈ 48: the chi-square branch). McNemar: rate ≤ 0.05 + 3σ (one-sided; both branches are conservative).
    /// Newcombe's paired interval covers the true difference 0 at 0.95 ± 3σ (Newcombe 1998 reports near-nominal
    /// coverage for method 10).
    @Test(arguments: [40, 120])
    func mcnemarOnEqualRates(pairs: Int) throws {
        let stream = RandomStream(seed: 20_250_304 &+ UInt64(pairs))
        let sets = 2_000
        var rejections = 0
        var covered = 0
        for _ in 0..<sets {
            var x: [Bool] = []
            var y: [Bool] = []
            for _ in 0..<pairs {
                let p = stream.beta(2, 3)
                x.append(stream.bernoulli(p))
                y.append(stream.bernoulli(p))
            }
            let result = try HypothesisTests.mcnemar(x, y)
            if result.pValue < Self.alpha { rejections += 1 }
            if result.interval?.contains(0) == true { covered += 1 }
        }
        let rate = Double(rejections) / Double(sets)
        let coverage = Double(covered) / Double(sets)
        let tolerance = threeSigma(Self.alpha, sets)
        #expect(rate <= Self.alpha + tolerance, "McNemar (n = \(pairs)) rejection rate \(rate) > 0.05 + \(tolerance)")
        #expect(
            abs(coverage - 0.95) <= threeSigma(0.95, sets),
            "Newcombe paired coverage (n = \(pairs)) \(coverage), expected 0.95 ± \(threeSigma(0.95, sets))")
    }

    /// (c) Coverage of a known proportion p = 0.3 with n = 100, 4,000 binomial draws.
    ///
    /// The exact coverage of each interval at (p, n) is Σₖ P(K = k)·1[p ∈ CI(k)], computed with scipy 1.17.1
    /// (`pm = stats.binom.pmf(np.arange(101), 100, 0.3)`, intervals by the closed forms in IntervalsTests):
    /// Wilson 0.9371897486104613, Clopper–Pearson 0.9625485707542054, and Newcombe's independent difference for
    /// two such samples (covering 0) 0.9490344798557547. Wilson's coverage oscillates around the nominal level
    /// (Brown, Cai & DasGupta, *Statistical Science* 16 (2001) 101–133) and dips to 0.937 here, so the checks are:
    /// - each simulated coverage equals its exact coverage within 3σ (two-sided);
    /// - Wilson: 0.95 within 0.015 (the oscillation) + 3σ; Clopper–Pearson (conservative): ≥ 0.95 − 3σ.
    @Test func proportionIntervalCoverage() throws {
        let stream = RandomStream(seed: 20_250_305)
        let draws = 4_000
        let truth = 0.3
        var wilson = 0
        var clopperPearson = 0
        var difference = 0
        for _ in 0..<draws {
            let k = stream.binomial(n: 100, p: truth)
            if try Intervals.wilson(successes: k, trials: 100).contains(truth) { wilson += 1 }
            if try Intervals.clopperPearson(successes: k, trials: 100).contains(truth) { clopperPearson += 1 }
            let k2 = stream.binomial(n: 100, p: truth)
            let diff = try EffectSizes.differenceOfProportions(
                successes1: k, trials1: 100, successes2: k2, trials2: 100)
            if diff.interval.contains(0) { difference += 1 }
        }
        let checks: [(String, Int, Double)] = [
            ("Wilson", wilson, 0.9371897486104613), ("Clopper–Pearson", clopperPearson, 0.9625485707542054),
            ("Newcombe difference", difference, 0.9490344798557547),
        ]
        for (name, count, exact) in checks {
            let coverage = Double(count) / Double(draws)
            #expect(
                abs(coverage - exact) <= threeSigma(exact, draws),
                "\(name) coverage \(coverage), exact \(exact) ± \(threeSigma(exact, draws))")
        }
        let wilsonCoverage = Double(wilson) / Double(draws)
        #expect(
            abs(wilsonCoverage - 0.95) <= 0.015 + threeSigma(0.95, draws),
            "Wilson coverage \(wilsonCoverage), expected 0.95 ± \(0.015 + threeSigma(0.95, draws))")
        let cpCoverage = Double(clopperPearson) / Double(draws)
        #expect(
            cpCoverage >= 0.95 - threeSigma(0.95, draws),
            "Clopper–Pearson coverage \(cpCoverage) < 0.95 − \(threeSigma(0.95, draws))")
    }

    /// (d) Holm controls the family-wise error rate: 4,000 families of m = 5 independent U(0, 1) null p-values. A
    /// family errs when any adjusted p-value is ≤ 0.05. For independent p-values Holm errs exactly when
    /// min p ≤ α/m, so the FWER is 1 − (1 − 0.01)⁵ = 0.0490099501. Checks: FWER ≤ 0.05 + 3σ (the guarantee,
    /// one-sided) and FWER = 0.04901 ± 3σ (two-sided). Unadjusted testing would err at 1 − 0.95⁵ = 0.226.
    @Test func holmControlsFamilyWiseErrorRate() {
        let stream = RandomStream(seed: 20_250_306)
        let families = 4_000
        var errors = 0
        for _ in 0..<families {
            let p = (0..<5).map { _ in stream.uniformPositive() }
            if MultipleComparisons.holm(p).contains(where: { $0 <= Self.alpha }) { errors += 1 }
        }
        let fwer = Double(errors) / Double(families)
        let theory = 0.0490099501
        #expect(
            fwer <= Self.alpha + threeSigma(Self.alpha, families),
            "Holm FWER \(fwer) > 0.05 + \(threeSigma(Self.alpha, families))")
        #expect(
            abs(fwer - theory) <= threeSigma(theory, families),
            "Holm FWER \(fwer), expected \(theory) ± \(threeSigma(theory, families))")
    }
}
