import Experiments
import Foundation
import LabTestSupport
import Reports
import Scenarios
import Simulation
import Testing

/// A small two-persona scenario used by several tests (fast enough for every run).
let smallScenario = """
    name: small
    seed: 5
    horizon_days: 30
    replicates: 4
    traffic: {signups_per_day: 80}
    personas:
      - id: p
        share: 0.7
        activation_event: win
        v3_default: [{flow: A, variant: a}]
        flows:
          - {id: A, steps: [x, win], truth: {activation_7d: 0.5, retention_30d: 0.4}}
          - {id: B, steps: [win, x], candidate: true, truth: {activation_7d: 0.65, retention_30d: 0.5}}
          - {id: C, steps: [y, win], truth: {activation_7d: 0.7, retention_30d: 0.5}}
        deviation: {rate: 0.05, from: [A], to: [{flow: C}]}
      - id: q
        share: 0.3
        activation_event: win
        v3_default: [{flow: A, variant: a}]
        flows:
          - {id: A, steps: [x, win], truth: {activation_7d: 0.6, retention_30d: 0.4}}
          - {id: B, steps: [z, win], candidate: true, introduced_day: 5, truth: {activation_7d: 0.3, retention_30d: 0.3}}
    engine: {job_failure_rate: 0.1}
    sweep:
      engine.epsilon: [0.1, 0.3]
      engine.policy: [seed-epsilon-greedy, thompson]
    """

@Suite("Experiments")
struct ExperimentTests {
    static func plan(_ text: String = smallScenario, sweep: Bool = true) throws -> ExperimentPlan {
        try ExperimentPlan(scenario: try ScenarioLoader.parse(text, file: "small.yaml"), sweep: sweep)
    }

    static func tables(_ results: ExperimentResults) -> [String] {
        [
            ResultTables.daily(results.dailyRows).text, ResultTables.replicates(results.replicateRows).text,
            ResultTables.health(HealthRow.rows(results)).text,
        ]
    }

    /// SPEC §3: results do not depend on the thread count or the order of completion.
    @Test func sweepIsIdenticalForAnyThreadCount() throws {
        let plan = try Self.plan()
        #expect(plan.configurations.count == 4)
        let one = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 1)))
        let two = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        let three = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 3)))
        #expect(Self.tables(one) == Self.tables(two))
        #expect(Self.tables(one) == Self.tables(three))
        #expect(one.outcomes.count == 16)
    }

    /// Replicate r sees the same users under every configuration of a sweep.
    @Test func sweepUsesCommonRandomNumbers() throws {
        let plan = try Self.plan()
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        let rows = results.replicateRows.filter { $0.persona == "ALL" }
        for r in 0..<4 {
            let users = Set(rows.filter { $0.replicate == r }.map(\.users))
            #expect(users.count == 1, "replicate \(r): user counts differ across configurations: \(users)")
        }
        let signups = Dictionary(grouping: results.dailyRows.filter { $0.replicate == 0 }, by: \.config).mapValues {
            $0.map(\.signups)
        }
        #expect(Set(signups.values).count == 1)
    }

    /// SPEC §1.9 end to end: the memory and SQLite stores give identical daily.csv and replicates.csv for the
    /// seed narrative (short horizon, 2 replicates).
    @Test func storesGiveIdenticalTablesOnTheSeedNarrative() throws {
        let scenario = try ScenarioLoader.load(path: Repo.scenario("seed-narrative.yaml"))
        let plan = try ExperimentPlan(scenario: scenario, sweep: false, replicates: 2, horizonDays: 45, scale: 0.5)
        let memory = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        let sqlite = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .sqlite, threads: 2)))
        let m = Self.tables(memory)
        let s = Self.tables(sqlite)
        #expect(m[0] == s[0], "daily.csv differs between stores")
        #expect(m[1] == s[1], "replicates.csv differs between stores")
        #expect(
            memory.dailyRows.contains { $0.championFlow == "D" },
            "D was never elected in 45 days: the deviation path is broken")
    }

    /// Shards are disjoint and cover the grid.
    @Test func shardsPartitionTheGrid() throws {
        let plan = try Self.plan()
        var seen: [WorkItem] = []
        for k in 1...3 {
            let shard = try Shard(index: k, count: 3)
            seen += plan.tasks.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element)
        }
        #expect(seen.sorted() == plan.tasks)
        #expect(throws: (any Error).self) { try Shard(parsing: "4/3") }
        #expect(throws: (any Error).self) { try Shard(parsing: "1-3") }
    }

    /// The sequential verdict (batch 20, max 400: K = 20 looks, each a Clopper–Pearson interval at 1 − 0.05/20).
    /// Closed forms: with every replicate correct the lower bound at n is (α/2K)^(1/n) = 0.00125^(1/n), so 0.95 is
    /// first shown at the look n = 140 (0.00125^(1/120) = 0.9459 < 0.95 ≤ 0.00125^(1/140) = 0.9534); with none
    /// correct the upper bound is 1 − 0.00125^(1/n), 0.2842 at n = 20; the best lower bound at n = 400 is 0.9834.
    @Test func checkVerdictIsSequential() throws {
        let options = CheckOptions()
        let tail = 0.05 / 20 / 2
        let allCorrect = Array(repeating: true, count: 400)
        let pass = try CheckEvaluator.verdict(
            Check(persona: "p", championIsTrueBestByDay: 10, minProbability: 0.95), correct: allCorrect,
            options: options)
        #expect(pass.decision == .pass && pass.replicates == 140 && pass.correct == 140 && pass.estimate == 1)
        let lower = try #require(pass.interval?.lower)
        #expect(abs(lower - pow(tail, 1.0 / 140)) < 1e-9, "lower bound \(lower)")
        let fail = try CheckEvaluator.verdict(
            Check(persona: "p", championIsTrueBestByDay: 10, minProbability: 0.5),
            correct: Array(repeating: false, count: 400), options: options)
        #expect(fail.decision == .fail && fail.replicates == 20)
        let upper = try #require(fail.interval?.upper)
        #expect(abs(upper - (1 - pow(tail, 1.0 / 20))) < 1e-9, "upper bound \(upper)")
        // 0.99 needs more than 400 all-correct replicates can show: reported without using any.
        let impossible = try CheckEvaluator.verdict(
            Check(persona: "p", championIsTrueBestByDay: 10, minProbability: 0.99), correct: [], options: options)
        #expect(impossible.decision == .cannotPass && impossible.replicates == 0 && impossible.interval == nil)
        #expect(abs(impossible.bestLowerBound - pow(tail, 1.0 / 400)) < 1e-9)
        // Exactly 90% correct at every look never separates from 0.9: undecided after all 400.
        let onTheLine = (0..<400).map { $0 % 10 != 0 }
        let undecided = try CheckEvaluator.verdict(
            Check(persona: "p", championIsTrueBestByDay: 10, minProbability: 0.9), correct: onTheLine,
            options: options)
        #expect(undecided.decision == .undecided && undecided.replicates == 400 && undecided.correct == 360)
        // Fewer replicates than the maximum: the verdict so far, at the last complete look.
        let partial = try CheckEvaluator.verdict(
            Check(persona: "p", championIsTrueBestByDay: 10, minProbability: 0.95), correct: Array(allCorrect[..<130]),
            options: options)
        #expect(partial.decision == .undecided && partial.replicates == 120)
    }

    /// A check on a persona whose true best is not unique is rejected with the check's location.
    @Test func tiedTrueBestIsRejected() throws {
        let text = """
            name: tied
            horizon_days: 20
            traffic: {signups_per_day: 10}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: A, variant: a}]
                flows:
                  - {id: A, steps: [x, win], truth: {activation_7d: 0.5, retention_30d: 0.4}}
                  - {id: B, steps: [win, x], candidate: true, truth: {activation_7d: 0.5, retention_30d: 0.4}}
            checks:
              - {persona: p, champion_is_true_best_by_day: 10, min_probability: 0.5}
            """
        let diagnostics = ScenarioValidation.diagnostics(try ScenarioLoader.parse(text, file: "tied.yaml"))
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.description.hasPrefix("tied.yaml:12:5: checks[0]:") == true,
            "\(diagnostics.map(\.description))")
        #expect(
            diagnostics.first?.description.contains(
                "checks[0]: the true best flow of p on day 10 is not unique (A, B tie") == true)
    }
}

/// Every curated scenario validates and runs end to end at reduced scale (its sweep, 2 replicates, 20 days, a
/// fifth of the traffic), producing every table.
@Suite("Curated scenarios")
struct CuratedScenarioTests {
    static let names = [
        "seed-narrative", "multi-persona", "aa-identical-flows", "retention-blind-spot", "drift", "cron-failures",
        "batched-4arm", "policy-baselines", "step-funnel", "outcome-delays",
    ]

    @Test(arguments: names)
    func runsAtReducedScale(name: String) throws {
        let scenario = try ScenarioValidation.load(path: Repo.scenario("\(name).yaml"))
        let plan = try ExperimentPlan(scenario: scenario, sweep: true, replicates: 2, horizonDays: 20, scale: 0.2)
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        #expect(results.outcomes.count == plan.configurations.count * 2)
        #expect(results.dailyRows.count == plan.configurations.count * 2 * 20 * scenario.personas.count)
        let rows = results.replicateRows
        #expect(rows.count == plan.configurations.count * 2 * (scenario.personas.count + 1))
        #expect(rows.filter { $0.persona == "ALL" }.allSatisfy { $0.users > 0 })
        let configs = ConfigTable(plan: plan)
        #expect(!(try Summaries.summarize(rows, configs: configs, horizonDays: 30)).isEmpty)
        #expect(!ReportCharts.render(daily: results.dailyRows, configs: configs).isEmpty)
    }
}
