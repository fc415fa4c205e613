import Experiments
import Foundation
import Reports
import Scenarios
import Simulation
import Testing

/// Trends and traffic growth through the whole pipeline: entries that change nothing give byte-identical tables
/// (they draw no random numbers), and grown traffic with constant arrivals gives the closed-form signups.
@Suite("Trends and traffic growth in experiments")
struct TrendExperimentTests {
    /// A scenario with a step drift, a later candidate and Poisson traffic; `TRAFFIC` and `TRENDS` are replaced.
    static let template = """
        name: trends
        seed: 31
        horizon_days: 40
        replicates: 2
        traffic: {signups_per_day: 90, weekly: [1, 1, 1, 1, 1, 0.6, 0.5]TRAFFIC}
        personas:
          - id: p
            activation_event: win
            v3_default: [{flow: A, variant: a}]
            flows:
              - {id: A, steps: [x, win], truth: {activation_7d: 0.5, retention_30d: 0.4, upgrade: 0.05}}
              - id: B
                steps: [y, win]
                candidate: true
                introduced_day: 5
                truth: {activation_7d: 0.6, retention_30d: {if_activated: 0.6, if_not: 0.2}, time_to_first_win: {distribution: exponential, median_minutes: 50}}
            drift:
              - {day: 20, flow: A, truth: {activation_7d: 0.65}}
        TRENDS
        """

    static func scenario(traffic: String = "", trends: String = "") throws -> Scenario {
        let text = template.replacingOccurrences(of: "TRAFFIC", with: traffic).replacingOccurrences(
            of: "TRENDS", with: trends.isEmpty ? "" : "    trends:\n" + trends)
        return try ScenarioLoader.parse(text, file: "trends.yaml")
    }

    /// daily.csv, replicates.csv and health.csv of a run.
    static func tables(_ scenario: Scenario) throws -> [String] {
        let plan = try ExperimentPlan(scenario: scenario, sweep: false)
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 1)))
        return [
            ResultTables.daily(results.dailyRows).text, ResultTables.replicates(results.replicateRows).text,
            ResultTables.health(HealthRow.rows(results)).text,
        ]
    }

    static let neutralEntries = [
        "      - {field: activation_7d, sine: {amplitude: 0, period_days: 7, phase_days: 2}}\n",
        "      - {flow: B, field: retention_30d, sine: {amplitude: 0, period_days: 30}}\n",
        "      - {flow: B, field: activation_7d, decay: {lift: 0, half_life_days: 3}}\n",
        "      - {field: time_to_first_win_median, decay: {lift: 0, half_life_days: 10}}\n",
        "      - {flow: A, field: upgrade, ramp: {from: 0.05, to: 0.05, start_day: 0, end_day: 30}}\n",
        "      - {flow: B, field: retention_if_not, ramp: {from: 0.2, to: 0.2, start_day: 3, end_day: 9}}\n",
        "      - {flow: B, field: time_to_first_win_median, ramp: {from: 50, to: 50, start_day: 0, end_day: 0}}\n",
    ]

    /// The identity: an entry that changes no value (a sine of amplitude 0, a decay of lift 0, a ramp
    /// from the base to the base) gives the same bytes as the scenario without it; so does a growth of 0.
    @Test(arguments: neutralEntries)
    func neutralTrendsChangeNoOutput(entry: String) throws {
        let plain = try Self.tables(Self.scenario())
        let neutral = try Self.scenario(trends: entry)
        #expect(!neutral.personas[0].trends.isEmpty)
        let withEntry = try Self.tables(neutral)
        #expect(plain.count == 3)
        for (a, b) in zip(plain, withEntry) { #expect(a == b) }
    }

    @Test func growthOfZeroChangesNoOutput() throws {
        let plain = try Self.tables(Self.scenario())
        let zero = try Self.scenario(traffic: ", growth_per_month: 0")
        #expect(zero == (try Self.scenario()))
        #expect(try Self.tables(zero) == plain)
    }

    /// The control: the same machinery sees a real trend (so the identities above are not vacuous).
    @Test func aRealTrendChangesTheOutput() throws {
        let plain = try Self.tables(Self.scenario())
        let moved = try Self.tables(
            Self.scenario(trends: "      - {flow: A, field: activation_7d, sine: {amplitude: 0.2, period_days: 7}}\n"))
        #expect(moved[0] != plain[0])
    }

    /// With constant arrivals each day's signups are the rounded expected rate 90 · weekday · (1 + g)^(d/30); with
    /// g = 1, day 30 (weekday 2) has exactly 90 · 2 = 180.
    @Test func constantArrivalsFollowTheGrowthClosedForm() throws {
        let scenario = try Self.scenario(traffic: ", arrivals: constant, growth_per_month: 1")
        let plan = try ExperimentPlan(scenario: scenario, sweep: false)
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 1)))
        let weekly = [1, 1, 1, 1, 1, 0.6, 0.5]
        let rows = results.dailyRows.filter { $0.replicate == 0 }
        #expect(rows.count == 40)
        for row in rows {
            let day = row.record.day
            let expected = 90 * weekly[day % 7] * pow(2, Double(day) / 30)
            #expect(row.record.signups == Int(expected.rounded()), "day \(day)")
        }
        #expect(rows.first { $0.record.day == 30 }?.record.signups == 180)
        #expect(rows.first { $0.record.day == 33 }?.record.signups == 116)  // weekday 5: 90 · 0.6 · 2^1.1 ≈ 115.75
    }

    /// `--horizon` re-checks the busiest day against the rate grown to the new last day: 90 · 2^(599/30) ≈ 9·10⁷.
    @Test func aLongerHorizonIsCheckedAgainstTheGrownRate() throws {
        let scenario = try Self.scenario(traffic: ", growth_per_month: 1")
        let error = try #require(throws: PlanInputError.self) {
            try ExperimentPlan(scenario: scenario, sweep: false, horizonDays: 600)
        }
        #expect(error.option == "--horizon")
        #expect(try ExperimentPlan(scenario: scenario, sweep: false, horizonDays: 300).horizonDays == 300)
    }

    /// A shorter `--horizon` drops ramps that would start after it, so the resolved scenario stays valid.
    @Test func aShorterHorizonDropsLaterRampsAndStaysValid() throws {
        let scenario = try Self.scenario(
            trends: """
                      - {flow: A, field: upgrade, ramp: {from: 0.05, to: 0.2, start_day: 10, end_day: 60}}
                      - {flow: A, field: upgrade, ramp: {from: 0.2, to: 0.1, start_day: 35, end_day: 39}}
                      - {flow: B, field: activation_7d, decay: {lift: 0.1, half_life_days: 4}}

                """)
        let plan = try ExperimentPlan(scenario: scenario, sweep: false, horizonDays: 30)
        #expect(plan.scenario.personas[0].trends.count == 2)
        #expect(plan.scenario.personas[0].trends.map(\.shape.key) == ["ramp", "decay"])
        let reparsed = try ScenarioLoader.parse(plan.scenario.resolvedYAML(), file: "resolved.yaml")
        #expect(reparsed == plan.scenario)
    }

    /// A decay of lift 0.6 on B (base 0.6, introduced on day 5, half-life 3 days) exceeds 1 while
    /// 0.6 · 2^(−(d−5)/3) > 0.4, i.e. d − 5 < 3·log2(1.5) ≈ 1.75: days 5 and 6, so exactly one warning counting 2 days.
    @Test func clampingByTrendsIsAFeasibilityWarning() throws {
        let scenario = try Self.scenario(
            trends: "      - {flow: B, field: activation_7d, decay: {lift: 0.6, half_life_days: 3}}\n")
        let warnings = Feasibility.warnings(for: scenario).filter { $0.path == "personas[0].trends" }
        #expect(warnings.count == 1)
        #expect(
            warnings.first?.message
                == "the trends take the activation_7d of flow B of p out of its range on 2 of 40 days (first on day 5: 1.2); it is clamped to [0, 1] there"
        )
        let modest = try Self.scenario(
            trends: "      - {flow: B, field: activation_7d, decay: {lift: 0.3, half_life_days: 3}}\n")
        #expect(Feasibility.warnings(for: modest).allSatisfy { $0.path != "personas[0].trends" })
        #expect(!Feasibility.warnings(for: modest).contains { $0.message.contains("clamped") })
    }
}
