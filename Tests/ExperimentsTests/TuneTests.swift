import Experiments
import Reports
import Scenarios
import Stochastics
import Testing

/// `tune`'s racing: separation of winner and runner-up, `--require` constraints, and the same configuration names
/// as `sweep`.
@Suite("Tune")
struct TuneTests {
    /// Two arms, 0.7 vs 0.3 activation (a real difference between exploration rates), or 0.5 vs 0.5 (none: every
    /// champion is a true best, so regret is 0 whatever ε).
    static func scenario(good: Double, bad: Double) throws -> Scenario {
        let text = """
            name: two-arms
            seed: 12
            horizon_days: 30
            replicates: 20
            traffic: {signups_per_day: 200, arrivals: constant}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: good, variant: g}, {flow: bad, variant: b}]
                flows:
                  - {id: good, steps: [g1], candidate: true, truth: {activation_7d: \(good), retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
                  - {id: bad, steps: [b1], candidate: true, truth: {activation_7d: \(bad), retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
            engine: {policy: epsilon-greedy, epsilon: 0.3, weights: {activation_7d: 1, retention_30d: 0, speed: 0}}
            """
        return try ScenarioLoader.parse(text, file: "two-arms.yaml")
    }

    static func race(
        _ scenario: Scenario, grid: String = "engine.epsilon=0.02,0.3", constraints: [MetricConstraint] = []
    ) throws -> (plan: ExperimentPlan, result: RacingResult) {
        let plan = try ExperimentPlan(scenario: scenario, sweep: true, axes: try GridSpec.axes([grid]))
        let options = RacingOptions(
            objective: "cumulative_regret", batch: 5, maxReplicates: 20, constraints: constraints)
        return (plan, try Racing.race(plan: plan, options: options, run: RunOptions(store: .memory, threads: 2)))
    }

    /// ε = 0.02 explores the 0.3 arm far less than ε = 0.3: the race drops c1 and says the winner is separated.
    @Test func realWinnerIsSignificantlyBetter() throws {
        let (plan, result) = try Self.race(try Self.scenario(good: 0.7, bad: 0.3))
        #expect(result.winner == "c0" && result.runnerUp == "c1", "\(result.summaries)")
        #expect(result.separation.significant)
        let p = try #require(result.separation.pAdjusted)
        #expect(p < 0.05)
        #expect(result.separation.tied == ["c0"])
        let text = TuneSummary(
            plan: plan, result: result,
            options: RacingOptions(objective: "cumulative_regret", batch: 5, maxReplicates: 20)
        ).lines.joined(separator: "\n")
        #expect(text.contains("separation: c0 is significantly better than c1"), "\(text)")
    }

    /// Identical arms: regret is 0 everywhere, nothing is dropped, so there is no significant difference; the
    /// configuration closest to the current setting (ε = 0.3 in the file) is named, not the first in grid order.
    @Test func tieNamesTheClosestToTheCurrentSetting() throws {
        let (plan, result) = try Self.race(try Self.scenario(good: 0.5, bad: 0.5), grid: "engine.epsilon=0.02,0.1,0.3")
        #expect(result.drops.isEmpty)
        #expect(!result.separation.significant)
        // Zero regret everywhere: every paired difference is 0, so p = 1 (the paired t-test's documented
        // degenerate case).
        #expect(result.separation.pAdjusted == 1)
        #expect(Set(result.separation.tied) == ["c0", "c1", "c2"])
        #expect(result.separation.closestToCurrent == "c2")
        #expect(plan.distanceToBase(2) == 0 && plan.distanceToBase(0) > plan.distanceToBase(1))
        let text = TuneSummary(
            plan: plan, result: result,
            options: RacingOptions(objective: "cumulative_regret", batch: 5, maxReplicates: 20)
        ).lines.joined(separator: "\n")
        #expect(text.contains("no significant difference between \(result.winner ?? "?") and"), "\(text)")
        #expect(text.contains("the closest to the current setting (engine.epsilon=0.3) is c2"), "\(text)")
    }

    /// A constraint the unconstrained winner misses changes the winner; one nobody meets leaves no winner.
    @Test func constraintsDecideWhoMayWin() throws {
        let scenario = try Self.scenario(good: 0.7, bad: 0.3)
        let (_, free) = try Self.race(scenario)
        let low = try #require(free.summaries["c0"]?.mean)
        let high = try #require(free.summaries["c1"]?.mean)
        #expect(low < high)
        // "At least this much regret": c0 (the least regret) misses it, c1 meets it.
        let floor = MetricConstraint(metric: "cumulative_regret", bound: .atLeast, value: (low + high) / 2)
        let (_, bound) = try Self.race(scenario, constraints: [floor])
        #expect(bound.winner == "c1", "winner \(String(describing: bound.winner)), drops \(bound.drops)")
        #expect(bound.infeasible["c0"] == [floor] || bound.drops.contains { $0.config == "c0" && $0.violated == floor })
        let impossible = MetricConstraint(metric: "cumulative_regret", bound: .atMost, value: -1)
        let (_, none) = try Self.race(scenario, constraints: [impossible])
        #expect(none.winner == nil)
        #expect(Set(none.infeasible.keys).union(none.drops.map(\.config)) == ["c0", "c1"])
    }

    @Test func constraintParsing() throws {
        #expect(
            try MetricConstraint(parsing: "final_champion_correct>=0.9")
                == MetricConstraint(metric: "final_champion_correct", bound: .atLeast, value: 0.9))
        #expect(
            try MetricConstraint(parsing: " cumulative_regret <= 1500 ")
                == MetricConstraint(metric: "cumulative_regret", bound: .atMost, value: 1500))
        #expect(MetricConstraint(metric: "patterns", bound: .atLeast, value: 3).description == "patterns>=3")
        #expect(throws: StatisticsError.self) { try MetricConstraint(parsing: "activation_rate=0.5") }
        #expect(throws: StatisticsError.self) { try MetricConstraint(parsing: "activation_rate>=high") }
        do {
            _ = try MetricConstraint(parsing: "conversion>=0.5")
            Issue.record("an unknown metric was accepted")
        } catch let error as StatisticsError {
            #expect(error.message.contains("unknown metric 'conversion'") && error.message.contains("activation_rate"))
        }
    }

    /// The same grid gives the same names and configs.csv however it is spelled and whichever command builds the
    /// plan (`sweep` and `tune` both pass their --grid axes to `ExperimentPlan`); values take the setting's type.
    @Test func configurationNamesMatchSweep() throws {
        let scenario = try Self.scenario(good: 0.7, bad: 0.3)
        let listed = try ExperimentPlan(
            scenario: scenario, sweep: true, axes: try GridSpec.axes(["engine.epsilon=0,0.1,0.2"]))
        let stepped = try ExperimentPlan(
            scenario: scenario, sweep: true, axes: try GridSpec.axes(["engine.epsilon=0:0.2:0.1"]))
        let a = ResultTables.configs(ConfigTable(plan: listed)).text
        let b = ResultTables.configs(ConfigTable(plan: stepped)).text
        #expect(a == b)
        #expect(a.contains("c0,0,0.0\r\n") && a.contains("c2,1,0.2\r\n"), "\(a)")
        // The scenario's own sweep with the same values: the same names and values.
        var swept = scenario
        swept.sweep = [SweepAxis(path: "engine.epsilon", values: [.integer(0), .number(0.1), .number(0.2)])]
        let fromFile = try ExperimentPlan(scenario: swept, sweep: true)
        #expect(ConfigTable(plan: fromFile).configs == ConfigTable(plan: listed).configs)
        // With --grid the baseline is the configuration closest to the current setting (ε = 0.3 → 0.2, c2).
        #expect(listed.configurations[listed.baseline].name == "c2")
        #expect(throws: StatisticsError.self) {
            try GridSpec.axes(["engine.epsilon=0.1,0.2", "engine.epsilon=0.3"])
        }
        #expect(throws: StatisticsError.self) { try GridSpec.axis("engine.epsilon=0.1,0.1") }
    }
}
