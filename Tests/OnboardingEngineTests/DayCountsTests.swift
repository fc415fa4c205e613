import Stochastics
import Testing

@testable import OnboardingEngine

/// The memory store's per-day trend counts answer exactly as a dictionary would, whatever the order of days
/// (in order, as the simulator sends them; far back, past the backward scan; removed by a rollback).
@Suite struct DayCountsTests {
    @Test func matchesADictionaryInAnyOrder() {
        let random = RandomStream(seed: 11)
        var counts = DayCounts()
        var model: [Int: (total: Int, activated: Int)] = [:]
        for step in 0..<4_000 {
            // Mostly recent days, sometimes far back or ahead, sometimes negative.
            let day =
                random.uniform() < 0.8
                ? step / 20 - random.uniformInt(3) : random.uniformInt(400) - 100
            switch random.uniformInt(10) {
            case 0:
                counts[day] = nil
                model[day] = nil
            case 1:
                let value = (random.uniformInt(50), random.uniformInt(50))
                counts[day] = value
                model[day] = value
            default:
                let total = random.uniformInt(2)
                let activated = random.uniformInt(2)
                counts.add(day: day, total: total, activated: activated)
                let old = model[day] ?? (0, 0)
                model[day] = (old.total + total, old.activated + activated)
            }
            #expect(counts[day].map { [$0.total, $0.activated] } == model[day].map { [$0.total, $0.activated] })
        }
        for range in [-200...500, 0...0, 37...90, 300...310, -5 ... -1] {
            let expected = model.keys.filter(range.contains).sorted().map {
                TrendPoint(day: $0, total: model[$0]?.total ?? -1, activated: model[$0]?.activated ?? -1)
            }
            #expect(counts.points(in: range) == expected, "\(range)")
        }
        #expect(model.count > 100)
    }
}
