import Experiments
import Foundation
import LabTestSupport
import Reports
import Scenarios
import Stochastics
import Testing

/// End-to-end statistical behaviour on the curated scenarios (these are the lab's own acceptance tests; they
/// take seconds in a release build, which is how CI runs the suite).
@Suite("Statistical behaviour")
struct StatisticalBehaviourTests {
    static func run(_ plan: ExperimentPlan) throws -> ExperimentResults {
        ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
    }

    /// An A/A sweep (all flows identical) reports no difference between configurations, in numbers and in words.
    @Test func identicalFlowsShowNoDifference() throws {
        let scenario = try ScenarioLoader.load(path: Repo.scenario("aa-identical-flows.yaml"))
        let results = try Self.run(try ExperimentPlan(scenario: scenario, sweep: true))
        let configs = ConfigTable(plan: results.plan)
        let rows = results.replicateRows
        let comparisons = Comparisons.compare(rows, configs: configs, horizonDays: results.plan.horizonDays)
        #expect(!comparisons.isEmpty)
        let significant = comparisons.filter { $0.pAdjusted < 0.05 }
        #expect(
            significant.isEmpty,
            "A/A comparisons flagged: \(significant.map { "\($0.metric)/\($0.test) p=\($0.pAdjusted)" })")
        let analysis = try Analysis(
            scenario: results.plan.scenario, configs: configs, rows: rows, daily: results.dailyRows)
        let report = MarkdownReport(scenario: results.plan.scenario, configs: configs, rows: rows, analysis: analysis)
        #expect(report.text.contains("**Keep the baseline"))
        #expect(report.text.contains("**No significant difference**"))
        // Regret is exactly zero: every flow is a true best, so any champion is a correct one.
        #expect(rows.allSatisfy { $0.cumulativeRegret == 0 })
        #expect(rows.filter { $0.persona != "ALL" }.allSatisfy { $0.finalChampionCorrect == true })
    }

    /// SPEC §1.8 made visible: the seed's defaults fail the retention blind-spot check, a 60-day mature window
    /// passes it.
    @Test func retentionBlindSpot() throws {
        let scenario = try ScenarioLoader.load(path: Repo.scenario("retention-blind-spot.yaml"))
        let check = try #require(scenario.checks.first)
        func verdict(_ overrides: [String: SettingValue]) throws -> CheckResult {
            let plan = try ExperimentPlan(
                scenario: scenario, sweep: false, horizonDays: check.championIsTrueBestByDay + 1, overrides: overrides)
            return try #require(
                try CheckEvaluator.run(plan: plan, options: CheckOptions(), run: RunOptions(store: .memory, threads: 2))
                    .results.first)
        }
        let seed = try verdict([:])
        #expect(!seed.passed, "seed defaults: \(seed.correct)/\(seed.replicates) correct")
        #expect((seed.estimate ?? 1) < 0.2)
        let mature = try verdict(["engine.window_days": .integer(60), "engine.count_immature": .bool(false)])
        #expect(
            mature.passed,
            "window 60, count_immature false: \(mature.correct)/\(mature.replicates) correct, interval \(String(describing: mature.interval))"
        )
    }

    /// The seed narrative's own checks pass at its full replicate count (they state what the seed engine achieves).
    @Test func seedNarrativeChecksPass() throws {
        let scenario = try ScenarioLoader.load(path: Repo.scenario("seed-narrative.yaml"))
        let lastDay = try #require(scenario.checks.map(\.championIsTrueBestByDay).max())
        let plan = try ExperimentPlan(
            scenario: scenario, sweep: false, replicates: CheckOptions.defaultMaxReplicates, horizonDays: lastDay + 1)
        let verdicts = try CheckEvaluator.run(
            plan: plan, options: CheckOptions(), run: RunOptions(store: .memory, threads: 2)
        ).results
        #expect(verdicts.contains { $0.required >= 0.95 && $0.day == 90 }, "the 0.95 check at day 90 is in the file")
        for v in verdicts {
            #expect(
                v.passed,
                "\(v.persona) day \(v.day): \(v.decision) \(v.correct)/\(v.replicates), interval \(String(describing: v.interval)) vs \(v.required)"
            )
        }
    }

    /// Racing finds the clearly best ε: on a two-arm bandit with a large gap, the smallest exploration rate has
    /// the least regret, and racing drops the others before the budget is spent.
    @Test func tuneFindsTheClearlyBestEpsilon() throws {
        let text = """
            name: two-arms
            seed: 12
            horizon_days: 40
            replicates: 30
            traffic: {signups_per_day: 300, arrivals: constant}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: good, variant: g}, {flow: bad, variant: b}]
                flows:
                  - {id: good, steps: [g1], candidate: true, truth: {activation_7d: 0.7, retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
                  - {id: bad, steps: [b1], candidate: true, truth: {activation_7d: 0.3, retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
            engine: {policy: epsilon-greedy, weights: {activation_7d: 1, retention_30d: 0, speed: 0}}
            """
        let scenario = try ScenarioLoader.parse(text, file: "two-arms.yaml")
        let axis = try GridSpec.axis("engine.epsilon=0.02,0.15,0.3")
        let plan = try ExperimentPlan(scenario: scenario, sweep: true, axes: [axis])
        let result = try Racing.race(
            plan: plan, options: RacingOptions(objective: "cumulative_regret", batch: 5, maxReplicates: 30),
            run: RunOptions(store: .memory, threads: 2))
        #expect(result.winner == "c0", "winner \(result.winner), summaries \(result.summaries)")
        #expect(result.replicatesRun < result.fullGridReplicates, "racing saved nothing")
        #expect(Set(result.drops.map(\.config)) == ["c1", "c2"])
    }

    @Test func gridSpecification() throws {
        let axis = try GridSpec.axis("engine.epsilon=0:0.3:0.05")
        #expect(axis.values.map(\.description) == ["0.0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3"])
        #expect(
            try GridSpec.axis("engine.min_champion_sample=10:30:10").values == [
                .integer(10), .integer(20), .integer(30),
            ])
        #expect(throws: (any Error).self) { try GridSpec.axis("engine.epsilonn=0:1:0.1") }
        #expect(throws: (any Error).self) { try GridSpec.axis("engine.epsilon=0.3:0:0.1") }
    }

    /// The simulator agrees with independent implementations of the batched Bernoulli bandit
    /// (`../shared/BASELINES.md`: the numpy reference over 200 replicates, which MABWiser agrees with): the lab's mean
    /// cumulative regret is within 4 standard errors of the reference's (the two means' errors combined; a false
    /// alarm has probability ≈ 6·10⁻⁵, and the run is deterministic). CI runs 20 replicates per policy (≈ 7 million
    /// simulated users), which detects a bias of about 5% for ε-greedy 0.1; `LAB_BATCHED_REPLICATES=100` (or more) is
    /// the full check.
    @Test func batchedFourArmMatchesIndependentImplementations() throws {
        let variable = ProcessInfo.processInfo.environment["LAB_BATCHED_REPLICATES"]
        let replicates = try #require(
            variable.map { Int($0) } ?? 20, "LAB_BATCHED_REPLICATES=\(variable ?? "") is not an integer")
        try #require((2...10_000).contains(replicates), "LAB_BATCHED_REPLICATES=\(replicates) is outside 2–10,000")
        let scenario = try ScenarioLoader.load(path: Repo.scenario("batched-4arm.yaml"))
        let plan = try ExperimentPlan(scenario: scenario, sweep: true, replicates: replicates)
        #expect(plan.configurations.map { $0.scenario.engine.policy.rawValue } == ["epsilon-greedy", "thompson"])
        let rows = try Self.run(plan).replicateRows.filter { $0.persona == "ALL" }
        // Reference means and their 95% t intervals over 200 replicates (t₀.₉₇₅,₁₉₉ = 1.972).
        let references = [("c0", "ε-greedy 0.1", 1_111.5, 1_120.4 - 1_111.5), ("c1", "Thompson", 127.6, 133.4 - 127.6)]
        for (config, label, referenceMean, referenceHalfWidth) in references {
            let lab = try Intervals.tMean(rows.filter { $0.config == config }.map(\.cumulativeRegret))
            #expect(lab.n == replicates)
            let referenceError = referenceHalfWidth / 1.972
            let error =
                (lab.standardDeviation * lab.standardDeviation / Double(lab.n)
                + referenceError * referenceError).squareRoot()
            let z = (lab.mean - referenceMean) / error
            #expect(
                abs(z) < 4,
                "\(label): lab mean regret \(lab.mean) (sd \(lab.standardDeviation), n \(lab.n)) vs reference \(referenceMean): z = \(z)"
            )
        }
    }
}
