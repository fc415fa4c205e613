import Testing

@testable import Stochastics

/// `Intervals.bootstrapMean`: the percentile bootstrap (Efron & Tibshirani 1993, §13.3).
@Suite("Bootstrap intervals")
struct BootstrapTests {
    /// A skewed non-negative sample (mostly zeros, as rollbacks or failed jobs are): the t interval goes below 0,
    /// the bootstrap interval stays inside the observed range.
    @Test func neverLeavesTheObservedRange() throws {
        let x = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.0]
        let t = try Intervals.tMean(x)
        #expect(t.interval.lower < 0, "the t interval of this sample should be negative: \(t.interval)")
        let b = try Intervals.bootstrapMean(x)
        #expect(b.interval.lower >= 0 && b.interval.upper <= 3)
        #expect(b.interval.contains(b.mean) && b.mean == t.mean)
    }

    /// For a near-normal sample the percentile interval approaches x̄ ± t·s/√n; tolerance 10% of the t half-width
    /// (Monte Carlo error of 4,000 resamples plus the bootstrap's (n−1)/n variance shrinkage at n = 200).
    @Test func approachesTheTIntervalForNormalData() throws {
        let stream = RandomStream(seed: 7)
        let x = (0..<200).map { _ in 10 + stream.gaussian(sigma: 2) }
        let t = try Intervals.tMean(x)
        let b = try Intervals.bootstrapMean(x, seed: 3)
        let half = t.interval.width / 2
        #expect(abs(b.interval.lower - t.interval.lower) < 0.1 * half, "\(b.interval) vs \(t.interval)")
        #expect(abs(b.interval.upper - t.interval.upper) < 0.1 * half, "\(b.interval) vs \(t.interval)")
    }

    @Test func deterministicAndDegenerateCases() throws {
        let x = [1.0, 4, 2, 8, 5, 7]
        #expect(try Intervals.bootstrapMean(x, seed: 9) == Intervals.bootstrapMean(x, seed: 9))
        #expect(try Intervals.bootstrapMean([2.5]).interval == Interval(point: 2.5))
        #expect(try Intervals.bootstrapMean([3, 3, 3]).interval == Interval(point: 3))
        #expect(throws: StatisticsError.self) { try Intervals.bootstrapMean(x, resamples: 10) }
    }
}
