import Testing

@testable import Reports

/// Tick steps from {1, 2, 2.5, 5} × 10ⁿ, the smallest that covers the data in at most `maxIntervals` intervals.
/// Expected values are worked by hand; tick values are compared exactly because they are built as n × 10^e.
@Suite struct NiceScaleTests {
    @Test func roundsUpToTwoHundreds() {
        let scale = NiceScale(lower: 0, upper: 1137)
        #expect(scale.ticks == [0, 200, 400, 600, 800, 1000, 1200])
        #expect(scale.labels == ["0", "200", "400", "600", "800", "1000", "1200"])
        #expect(scale.lower == 0 && scale.upper == 1200)
        #expect(scale.step == 200)
    }

    @Test func unitIntervalInFifths() {
        let scale = NiceScale(lower: 0, upper: 1, maxIntervals: 5)
        #expect(scale.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(scale.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func quarterStepsKeepTheirDecimals() {
        // 0.618…0.723: step 0.02 would need 7 intervals (0.60…0.74), so 0.025 (0.600…0.725, 5 intervals).
        let scale = NiceScale(lower: 0.618, upper: 0.723)
        #expect(scale.step == 0.025)
        #expect(scale.labels == ["0.600", "0.625", "0.650", "0.675", "0.700", "0.725"])
    }

    @Test func dayAxisEndsAtTheData() {
        let scale = NiceScale(lower: 0, upper: 59, maxIntervals: 10, integerSteps: true, extendToTicks: false)
        #expect(scale.ticks == [0, 10, 20, 30, 40, 50])
        #expect(scale.lower == 0 && scale.upper == 59)
        let short = NiceScale(lower: 0, upper: 3, maxIntervals: 10, integerSteps: true, extendToTicks: false)
        #expect(short.ticks == [0, 1, 2, 3])
    }

    @Test func singleDayGetsOneTickAndAWidth() {
        let scale = NiceScale(lower: 0, upper: 0, maxIntervals: 10, integerSteps: true, extendToTicks: false)
        #expect(scale.ticks == [0])
        #expect(scale.lower < 0 && scale.upper > 0)
        #expect(scale.position(0, from: 100, to: 200) == 150)
    }

    @Test func degenerateAndInvalidRangesStillGiveTicks() {
        let zero = NiceScale(lower: 0, upper: 0)
        #expect(zero.ticks.count >= 2 && zero.lower < zero.upper)
        let flipped = NiceScale(lower: 10, upper: -10)
        #expect(flipped.lower == -10 && flipped.upper == 10)
        let nonFinite = NiceScale(lower: .nan, upper: .infinity)
        #expect(nonFinite.ticks.count >= 2)
        let tiny = NiceScale(lower: 0, upper: 3e-7)
        #expect(tiny.ticks.count >= 2 && tiny.upper >= 3e-7)
    }

    @Test func negativeRanges() {
        let scale = NiceScale(lower: -3.2, upper: 7.9)
        #expect(scale.ticks == [-4, -2, 0, 2, 4, 6, 8])
        #expect(scale.labels == ["-4", "-2", "0", "2", "4", "6", "8"])
    }

    @Test func thousandsAndMillionsUseSuffixes() {
        let thousands = NiceScale(lower: 0, upper: 23_456)
        #expect(thousands.ticks == [0, 5000, 10000, 15000, 20000, 25000])
        #expect(thousands.labels == ["0k", "5k", "10k", "15k", "20k", "25k"])
        let millions = NiceScale(lower: 0, upper: 1.1e7)
        #expect(millions.labels == ["0M", "2M", "4M", "6M", "8M", "10M", "12M"])
        let quarterMillions = NiceScale(lower: 0, upper: 2.4e7, maxIntervals: 10)
        #expect(
            quarterMillions.labels == [
                "0.0M", "2.5M", "5.0M", "7.5M", "10.0M", "12.5M", "15.0M", "17.5M", "20.0M", "22.5M", "25.0M",
            ])
    }

    @Test func decimalTextIsExact() {
        #expect(NiceScale.decimalText(3, exponent: -1, decimals: 1) == "0.3")
        #expect(NiceScale.decimalText(-25, exponent: -3, decimals: 3) == "-0.025")
        #expect(NiceScale.decimalText(120, exponent: -2, decimals: 1) == "1.2")
        #expect(NiceScale.decimalText(0, exponent: -2, decimals: 2) == "0.00")
        #expect(NiceScale.decimalText(12, exponent: 2, decimals: 0) == "1200")
    }

    @Test func positionMapsLinearly() {
        let scale = NiceScale(lower: 0, upper: 1, maxIntervals: 5)
        #expect(scale.position(0, from: 300, to: 100) == 300)
        #expect(scale.position(1, from: 300, to: 100) == 100)
        #expect(scale.position(0.25, from: 300, to: 100) == 250)
    }
}
