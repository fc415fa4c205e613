import Stochastics
import Testing

/// References: NumPy 2.4.6, `x = [2.5, 3.1, 4.7, 1.2, 5.9, 3.3, 2.8]`.
/// The GSL routines use different summation orders from NumPy, so results agree to rounding: tolerance 1e-12
/// relative throughout.
@Suite("Descriptive statistics")
struct DescriptiveTests {
    let x = [2.5, 3.1, 4.7, 1.2, 5.9, 3.3, 2.8]

    @Test func meanVarianceAndStandardDeviation() throws {
        // np.mean(x); np.var(x, ddof=1); np.std(x, ddof=1)
        expectClose(try Descriptive.mean(x), 3.357142857142857, rel: 1e-12, "mean")
        expectClose(try Descriptive.variance(x), 2.33952380952381, rel: 1e-12, "variance")
        expectClose(try Descriptive.standardDeviation(x), 1.5295501984321436, rel: 1e-12, "sd")
    }

    @Test func quantilesAreType7() throws {
        // np.quantile(x, p, method='linear') (Hyndman & Fan type 7)
        let references: [(Double, Double)] = [
            (0, 1.2), (0.1, 1.98), (0.25, 2.65), (0.5, 3.1), (0.9, 5.180000000000001), (1, 5.9),
        ]
        for (p, expected) in references {
            expectClose(try Descriptive.quantile(x, p), expected, rel: 1e-12, "quantile(\(p))")
        }
        // np.quantile([4.0, 1.0, 3.0, 2.0, 10.0, 6.0], 0.33) and np.median of the same (even n)
        let even = [4.0, 1.0, 3.0, 2.0, 10.0, 6.0]
        expectClose(try Descriptive.quantile(even, 0.33), 2.6500000000000004, rel: 1e-12, "even quantile(0.33)")
        expectClose(try Descriptive.median(even), 3.5, rel: 1e-12, "even median")
        expectClose(try Descriptive.median(x), 3.1, rel: 1e-12, "odd median")
    }

    @Test func quantileDoesNotReorderTheInput() throws {
        let input = x
        _ = try Descriptive.quantile(input, 0.5)
        #expect(input == x)
    }

    @Test func degenerateSamples() throws {
        // Exact: one value and equal values.
        #expect(try Descriptive.mean([4.2]) == 4.2)
        #expect(try Descriptive.median([4.2]) == 4.2)
        #expect(try Descriptive.quantile([4.2], 0.9) == 4.2)
        #expect(try Descriptive.variance([7, 7, 7]) == 0)
        #expect(try Descriptive.standardDeviation([7, 7, 7]) == 0)
    }

    @Test func invalidInputThrows() {
        #expect(throws: StatisticsError.self) { try Descriptive.mean([]) }
        #expect(throws: StatisticsError.self) { try Descriptive.median([]) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([], 0.5) }
        #expect(throws: StatisticsError.self) { try Descriptive.variance([1]) }
        #expect(throws: StatisticsError.self) { try Descriptive.standardDeviation([1]) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([1, 2], 1.5) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([1, 2], -0.1) }
        #expect(throws: StatisticsError.self) { try Descriptive.quantile([1, 2], .nan) }
        #expect(throws: StatisticsError.self) { try Descriptive.mean([1, .nan]) }
        #expect(throws: StatisticsError.self) { try Descriptive.mean([1, .infinity]) }
    }
}
