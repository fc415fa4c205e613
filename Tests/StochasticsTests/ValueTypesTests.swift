import Foundation
import Stochastics
import Testing

/// The public result types survive a JSON round trip unchanged (they are written to `summary.json`), with and
/// without an interval.
@Suite("Value types")
struct ValueTypesTests {
    @Test func resultsRoundTripThroughJSON() throws {
        let withInterval = try HypothesisTests.pairedT(TTestTests.x, TTestTests.y)
        let withoutInterval = try HypothesisTests.wilcoxonSignedRank([1, 2, 3], [0.5, 2.5, 2])
        let mean = try Intervals.tMean(TTestTests.x)
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        for result in [withInterval, withoutInterval] {
            let decoded = try decoder.decode(TestResult.self, from: encoder.encode(result))
            #expect(decoded == result)
        }
        #expect(try decoder.decode(MeanEstimate.self, from: encoder.encode(mean)) == mean)
        #expect(withoutInterval.interval == nil)
    }

    @Test func intervalHelpers() {
        let interval = Interval(lower: -1, upper: 2)
        #expect(interval.width == 3)
        #expect(interval.contains(-1) && interval.contains(2) && !interval.contains(2.5))
        #expect(Interval(point: 4) == Interval(lower: 4, upper: 4))
    }
}
