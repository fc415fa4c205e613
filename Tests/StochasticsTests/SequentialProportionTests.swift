import Foundation
import Stochastics
import Testing

@Suite("Sequential proportion test")
struct SequentialProportionTests {
    /// Looks at 20, 40, …, 400 (K = 20), each a Clopper–Pearson interval at level 1 − 0.05/20.
    static func standard(_ threshold: Double) throws -> SequentialProportionTest {
        try SequentialProportionTest(threshold: threshold, batch: 20, maxTrials: 400)
    }

    @Test func plannedLooks() throws {
        let test = try Self.standard(0.9)
        #expect(test.looks == 20 && test.lookSizes.first == 20 && test.lookSizes.last == 400)
        #expect(abs(test.perLookLevel - 0.9975) < 1e-15)
        // A last batch shorter than the others: 50 trials in batches of 20 look at 20, 40, 50.
        let ragged = try SequentialProportionTest(threshold: 0.5, batch: 20, maxTrials: 50)
        #expect(ragged.lookSizes == [20, 40, 50] && ragged.looks == 3)
        #expect(throws: StatisticsError.self) { try test.interval(successes: 3, trials: 30) }
        #expect(throws: StatisticsError.self) { try SequentialProportionTest(threshold: 1.2, batch: 2, maxTrials: 4) }
        #expect(throws: StatisticsError.self) { try SequentialProportionTest(threshold: 0.5, batch: 5, maxTrials: 4) }
        #expect(throws: StatisticsError.self) { try SequentialProportionTest(threshold: 0.5, batch: 0, maxTrials: 4) }
        #expect(throws: StatisticsError.self) {
            try SequentialProportionTest(threshold: 0.5, batch: 2, maxTrials: 4, alpha: 0)
        }
    }

    /// Reference: scipy 1.17.1, `stats.beta.ppf(0.00125, k, n - k + 1)` and `stats.beta.isf(0.00125, k + 1, n - k)`
    /// (the Clopper–Pearson bounds at level 1 − 0.05/20). Tolerance 1e-9 relative. All-success and no-success
    /// looks against their closed forms 0.00125^(1/n) and 1 − 0.00125^(1/n).
    @Test func intervalsMatchScipyAndClosedForms() throws {
        let test = try Self.standard(0.9)
        let a = try test.interval(successes: 37, trials: 40)
        expectInterval(a, 0.7171922943443976, 0.9947297762595201, rel: 1e-9, "37/40")
        let b = try test.interval(successes: 171, trials: 200)
        expectInterval(b, 0.7660616065089819, 0.9204974498931541, rel: 1e-9, "171/200")
        for n in test.lookSizes {
            let all = try test.interval(successes: n, trials: n)
            expectClose(all.lower, pow(0.00125, 1 / Double(n)), rel: 1e-12, "lower bound of \(n)/\(n)")
            let none = try test.interval(successes: 0, trials: n)
            expectClose(none.upper, 1 - pow(0.00125, 1 / Double(n)), rel: 1e-12, "upper bound of 0/\(n)")
        }
        expectClose(try test.bestLowerBound, pow(0.00125, 1.0 / 400), rel: 1e-12, "best lower bound")
        #expect(try test.canPass && !(try Self.standard(0.99).canPass))
    }

    /// Runs the sequential procedure on `streams` Bernoulli(p) sequences from a GSL mt19937 generator and returns
    /// the share that passed and the share that failed.
    static func simulate(_ test: SequentialProportionTest, p: Double, streams: Int, seed: UInt64) throws -> (
        pass: Double, fail: Double
    ) {
        try simulate(
            looks: test.lookSizes, decide: { try test.decision(successes: $0, trials: $1) }, p: p, streams: streams,
            seed: seed)
    }

    static func simulate(
        looks: [Int], decide: (Int, Int) throws -> SequentialProportionTest.Decision, p: Double, streams: Int,
        seed: UInt64
    ) throws -> (pass: Double, fail: Double) {
        // The decision depends only on (look, successes): tabulate once.
        var table: [Int: [SequentialProportionTest.Decision]] = [:]
        for n in looks { table[n] = try (0...n).map { try decide($0, n) } }
        let rng = RandomStream(seed: seed)
        var passed = 0
        var failed = 0
        for _ in 0..<streams {
            var successes = 0
            var seen = 0
            for n in looks {
                while seen < n {
                    if rng.bernoulli(p) { successes += 1 }
                    seen += 1
                }
                let decision = table[n]?[successes] ?? .undecided
                if decision == .pass { passed += 1 }
                if decision == .fail { failed += 1 }
                if decision != .undecided { break }
            }
        }
        return (Double(passed) / Double(streams), Double(failed) / Double(streams))
    }

    /// Under the null drawn exactly at the threshold, the procedure — looking 20 times — wrongly passes (and wrongly
    /// fails) at most α/2 = 2.5% of the time; the contract is ≤ 5%. Monte Carlo: 4000 streams per threshold, so a
    /// true rate of 5% would be observed above 5% + 4 standard errors (0.0138) with probability < 1e-4; asserting
    /// ≤ 5% leaves the 2.5% guarantee a margin of over 7 standard errors.
    @Test func errorRateUnderTheNullStaysBelowFivePercent() throws {
        for (i, p0) in [0.5, 0.8, 0.9, 0.95].enumerated() {
            let rates = try Self.simulate(Self.standard(p0), p: p0, streams: 4000, seed: 7001 + UInt64(i))
            #expect(rates.pass <= 0.05, "p0 = \(p0): false-pass rate \(rates.pass)")
            #expect(rates.fail <= 0.05, "p0 = \(p0): false-fail rate \(rates.fail)")
        }
    }

    /// The same looks with an unadjusted 95% interval at each look (what the old fixed-sample check would do if
    /// run repeatedly) wrongly pass far more often: the correction is what keeps the error down.
    @Test func unadjustedLooksWouldInflateTheError() throws {
        let sequential = try Self.standard(0.8)
        let inflated = try Self.simulate(
            looks: sequential.lookSizes,
            decide: { k, n in
                let ci = try Intervals.clopperPearson(successes: k, trials: n, level: 0.95)
                return ci.lower >= 0.8 ? .pass : ci.upper < 0.8 ? .fail : .undecided
            }, p: 0.8, streams: 4000, seed: 7101)
        let kept = try Self.simulate(sequential, p: 0.8, streams: 4000, seed: 7101)
        #expect(inflated.pass > 0.05, "unadjusted false-pass rate \(inflated.pass)")
        #expect(kept.pass < inflated.pass / 3, "adjusted \(kept.pass) vs unadjusted \(inflated.pass)")
    }

    /// Power: well above the threshold the check passes, well below it fails, nearly always (Monte Carlo, 2000
    /// streams; the asserted 95% is more than 5 standard errors below the observed rates of ≈ 100%).
    @Test func decidesWhenTheTruthIsClear() throws {
        let above = try Self.simulate(Self.standard(0.9), p: 0.98, streams: 2000, seed: 7201)
        #expect(above.pass >= 0.95, "p = 0.98 vs 0.9: pass rate \(above.pass)")
        let below = try Self.simulate(Self.standard(0.9), p: 0.75, streams: 2000, seed: 7202)
        #expect(below.fail >= 0.95, "p = 0.75 vs 0.9: fail rate \(below.fail)")
    }
}
