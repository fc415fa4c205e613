import Stochastics
import Testing

@Suite("t-tests")
struct TTestTests {
    static let x = [12.1, 14.3, 11.8, 15.2, 13.9, 12.7, 16.1, 14.8, 13.3, 12.9, 15.7, 14.1]
    static let y = [11.4, 13.9, 12.2, 14.1, 13.0, 12.9, 14.8, 14.0, 12.6, 12.1, 15.0, 13.2]

    /// Reference: scipy 1.17.1, `res = stats.ttest_rel(x, y)`; `res.statistic`, `res.pvalue`,
    /// `res.confidence_interval(0.95)` and `(0.90)`; `np.mean(np.subtract(x, y))`.
    /// Tolerance 1e-9 relative (1e-12 for the mean difference, plain arithmetic).
    @Test func pairedTMatchesScipy() throws {
        let result = try HypothesisTests.pairedT(Self.x, Self.y)
        #expect(result.test == "paired_t")
        #expect(result.n == 12)
        expectClose(result.statistic, 4.495599197827298, rel: 1e-9, "t")
        expectClose(result.pValue, 0.0009077632680485376, rel: 1e-9, "p")
        expectClose(result.estimate, 0.6416666666666669, rel: 1e-12, "mean difference")
        expectInterval(result.interval, 0.3275152601664256, 0.9558180731669083, rel: 1e-9, "95% interval")
        let ninety = try HypothesisTests.pairedT(Self.x, Self.y, level: 0.9)
        expectInterval(ninety.interval, 0.3853361143585285, 0.8979972189748053, rel: 1e-9, "90% interval")
        #expect(ninety.pValue == result.pValue)
    }

    /// A tiny p-value keeps its relative precision because it is computed as 2·Q(|t|), not 2·(1 − P(|t|)) (which
    /// would return 0 here). Reference: scipy 1.17.1, `stats.ttest_rel(xs, ys)` with the lists below.
    /// Tolerance 1e-9 relative on t and on p = 5e-16.
    @Test func pairedTSmallPValueHasRelativePrecision() throws {
        let xs = [10.0, 10.5, 11.2, 9.8, 10.9, 11.5, 10.1, 10.7, 11.0, 10.3]
        let ys = [8.9, 9.45, 10.1, 8.72, 9.85, 10.38, 9.02, 9.66, 9.91, 9.2]
        let result = try HypothesisTests.pairedT(xs, ys)
        expectClose(result.statistic, 129.30687793170668, rel: 1e-9, "t")
        expectClose(result.pValue, 5.027130173612741e-16, rel: 1e-9, "p")
        expectClose(result.estimate, 1.081, rel: 1e-12, "mean difference")
    }

    /// Documented degenerate cases (exact): all differences zero gives t = 0, p = 1, interval [0, 0]; a constant
    /// non-zero difference gives ±greatestFiniteMagnitude, p = 0 and a zero-width interval at the difference.
    @Test func pairedTDegenerateCases() throws {
        let same = try HypothesisTests.pairedT([1, 2, 3], [1, 2, 3])
        #expect(same.statistic == 0 && same.pValue == 1 && same.estimate == 0)
        #expect(same.interval == Interval(lower: 0, upper: 0))
        let shifted = try HypothesisTests.pairedT([3, 4, 5], [1, 2, 3])
        #expect(shifted.statistic == .greatestFiniteMagnitude && shifted.pValue == 0 && shifted.estimate == 2)
        #expect(shifted.interval == Interval(lower: 2, upper: 2))
        let down = try HypothesisTests.pairedT([1, 2, 3], [3, 4, 5])
        #expect(down.statistic == -.greatestFiniteMagnitude && down.pValue == 0)
        #expect(isNumeric(same) && isNumeric(shifted) && isNumeric(down))
    }

    @Test func pairedTRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try HypothesisTests.pairedT([], []) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.pairedT([1], [2]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.pairedT([1, 2, 3], [1, 2]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.pairedT([1, 2], [1, .nan]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.pairedT([1, 2], [1, 3], level: 1) }
    }

    /// Reference: scipy 1.17.1, `res = stats.ttest_ind(a, b, equal_var=False)`; `res.statistic`, `res.pvalue`,
    /// `res.df`, `res.confidence_interval(0.95)`. Tolerance 1e-9 relative.
    @Test func welchTMatchesScipy() throws {
        let a = [3.2, 4.1, 5.6, 2.9, 4.4, 3.8, 5.1, 4.9]
        let b = [2.1, 2.8, 3.0, 2.2, 3.9, 2.5, 2.7, 3.4, 2.0, 3.1, 2.6]
        let result = try HypothesisTests.welchT(a, b)
        #expect(result.test == "welch_t")
        #expect(result.n == 19)
        expectClose(result.statistic, 4.000931052303038, rel: 1e-9, "t")
        expectClose(result.pValue, 0.0021604237412073193, rel: 1e-9, "p")
        expectClose(result.estimate, 1.4954545454545451, rel: 1e-12, "difference of means")
        expectInterval(result.interval, 0.6708876242999007, 2.3200214666091896, rel: 1e-9, "95% interval")
        // res.df = 10.797103791348462, shown to two decimals in the method text.
        #expect(result.method.contains("10.8"), "\(result.method)")
    }

    /// One constant sample is a regular case: df = the other sample's n − 1 = 7. Reference: scipy 1.17.1,
    /// `stats.ttest_ind(a, [5.0, 5.0, 5.0, 5.0], equal_var=False)` (df 7.0). Tolerance 1e-9 relative.
    @Test func welchTWithOneConstantSample() throws {
        let a = [3.2, 4.1, 5.6, 2.9, 4.4, 3.8, 5.1, 4.9]
        let result = try HypothesisTests.welchT(a, [5, 5, 5, 5])
        expectClose(result.statistic, -2.265015046221354, rel: 1e-9, "t")
        expectClose(result.pValue, 0.05790155749015939, rel: 1e-9, "p")
        expectInterval(result.interval, -1.5329829614832817, 0.032982961483281725, rel: 1e-9, "95% interval")
    }

    /// Documented degenerate cases (exact): both samples constant.
    @Test func welchTDegenerateCases() throws {
        let equal = try HypothesisTests.welchT([2, 2, 2], [2, 2])
        #expect(equal.statistic == 0 && equal.pValue == 1 && equal.interval == Interval(lower: 0, upper: 0))
        let apart = try HypothesisTests.welchT([2, 2, 2], [5, 5])
        #expect(apart.statistic == -.greatestFiniteMagnitude && apart.pValue == 0 && apart.estimate == -3)
        #expect(apart.interval == Interval(lower: -3, upper: -3))
        #expect(isNumeric(equal) && isNumeric(apart))
    }

    @Test func welchTRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try HypothesisTests.welchT([], [1, 2]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.welchT([1], [1, 2]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.welchT([1, 2], [1, .infinity]) }
    }
}
