import Foundation
import Testing

@testable import Scenarios

/// A persona's `trends:` and `traffic.growth_per_month`: decoded values, resolved-YAML round trip, schema.
@Suite struct TrendLoadingTests {
    static func fixture() throws -> Scenario {
        try ScenarioLoader.parse(Fixtures.text("valid-trends.yaml"), file: "valid-trends.yaml")
    }

    @Test func decodesEveryShapeAndField() throws {
        let scenario = try Self.fixture()
        #expect(scenario.traffic.growthPerMonth == 0.25)
        #expect(scenario.traffic.growthFactor(onDay: 30) == 1.25)
        #expect(scenario.traffic.growthFactor(onDay: 60) == 1.25 * 1.25)
        let trends = try #require(scenario.personas.first?.trends)
        #expect(
            trends == [
                Trend(flow: "A", field: .activation7d, shape: .ramp(from: 0.5, to: 0.6, startDay: 20, endDay: 120)),
                Trend(field: .retention30d, shape: .sine(amplitude: 0.02, periodDays: 7, phaseDays: 0)),
                Trend(
                    flow: "B", field: .retentionIfActivated,
                    shape: .sine(amplitude: 0.05, periodDays: 365.25, phaseDays: 91)),
                Trend(flow: "B", field: .activation7d, shape: .decay(lift: 0.2, halfLifeDays: 7.5)),
                Trend(flow: "B", field: .retentionIfNot, shape: .decay(lift: -0.05, halfLifeDays: 14)),
                Trend(flow: "A", field: .upgrade, shape: .ramp(from: 0, to: 0.1, startDay: 0, endDay: 0)),
                Trend(field: .timeToFirstWinMedian, shape: .decay(lift: 30, halfLifeDays: 20)),
            ])
    }

    @Test func resolvedYAMLRoundTripsAndWritesTheNewKeys() throws {
        let scenario = try Self.fixture()
        let resolved = scenario.resolvedYAML()
        #expect(try ScenarioLoader.parse(resolved, file: "resolved.yaml") == scenario)
        for fragment in [
            "  growth_per_month: 0.25\n",
            "      - {flow: A, field: activation_7d, ramp: {from: 0.5, to: 0.6, start_day: 20, end_day: 120}}\n",
            "      - {field: retention_30d, sine: {amplitude: 0.02, period_days: 7.0, phase_days: 0.0}}\n",
            "      - {flow: B, field: retention_if_not, decay: {lift: -0.05, half_life_days: 14.0}}\n",
        ] {
            #expect(resolved.contains(fragment), "missing:\n\(fragment)\nin:\n\(resolved)")
        }
        // A scenario without the features resolves without their keys.
        let minimal = try ScenarioLoader.parse(Fixtures.text("minimal.yaml"), file: "minimal.yaml").resolvedYAML()
        #expect(!minimal.contains("growth_per_month"))
        #expect(!minimal.contains("trends"))
    }

    @Test func schemaAcceptsTheFixtureAndItsResolvedFormAndRejectsMistakes() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trend-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let resolved = directory.appendingPathComponent("resolved.yaml")
        try Self.fixture().resolvedYAML().write(to: resolved, atomically: true, encoding: .utf8)
        let valid = try SchemaTests.validate([Fixtures.url("valid-trends.yaml").path, resolved.path])
        #expect(valid.count == 2)
        for result in valid { #expect(result.valid, "\(result.line)") }

        let base = try Fixtures.text("valid-trends.yaml")
        let mistakes: [(String, String)] = [
            ("growth_per_month: 0.25", "growth_per_month: -1"),
            (
                "sine: {amplitude: 0.02, period_days: 7}",
                "sine: {amplitude: 0.02, period_days: 7}, decay: {lift: 0.1, half_life_days: 2}"
            ),
            ("sine: {amplitude: 0.02, period_days: 7}", "sine: {amplitude: 1.5, period_days: 7}"),
            ("decay: {lift: 0.2, half_life_days: 7.5}", "decay: {lift: 0.2, half_life_days: 0}"),
            ("field: upgrade", "field: upgrades"),
            ("ramp: {from: 0, to: 0.1, start_day: 0, end_day: 0}", "ramp: {from: 0, to: 0.1, start_day: 0}"),
        ]
        try SchemaTests.expectRejected(base: base, mistakes: mistakes)
    }

    @Test func growthCountsTowardsTheBusiestDay() throws {
        let traffic = Traffic(schedule: [TrafficPeriod(fromDay: 0, perDay: 5000)], growthPerMonth: 1)
        // 5000 · 2^(359/30) ≈ 2.0e7 on the last day of a 360-day horizon; 5000 · 2^(299/30) ≈ 5.0e6 over 300 days.
        #expect(ScenarioLimits.trafficProblem(traffic, horizonDays: 360) != nil)
        #expect(ScenarioLimits.trafficProblem(traffic, horizonDays: 300) == nil)
        #expect(ScenarioLimits.peakSignupsPerDay(traffic, horizonDays: 31) == 10_000)
        // A shrinking traffic's busiest day is day 0.
        let shrinking = Traffic(schedule: [TrafficPeriod(fromDay: 0, perDay: 5000)], growthPerMonth: -0.5)
        #expect(ScenarioLimits.peakSignupsPerDay(shrinking, horizonDays: 3650) == 5000)
    }
}
