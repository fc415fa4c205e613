import Experiments
import Scenarios
import Simulation
import Testing

/// The objective is the yardstick; the engine's weights are a setting under test (SPEC §2.4).
@Suite("Objective")
struct ObjectiveExperimentTests {
    /// Scaling every engine weight by 2 keeps every election and every policy choice (the win-score order is
    /// unchanged; the rollback law is set out of reach, since it is an absolute difference of scores), so every
    /// metric measured with the objective must be identical between the two configurations.
    @Test func engineWeightsScaledByTwoMakeTheSameDecisions() throws {
        // B wins quickly, C activates more but slowly: under the seed's weights (activation/speed = 2.5) B scores
        // higher, under activation 1.0 / speed 0.2 (ratio 5) C does (the break-even ratio is 3.4).
        let flows = smallScenario.replacingOccurrences(
            of: "truth: {activation_7d: 0.65, retention_30d: 0.5}}",
            with:
                "truth: {activation_7d: 0.65, retention_30d: 0.5, time_to_first_win: {distribution: fixed, median_minutes: 10}}}"
        ).replacingOccurrences(
            of: "truth: {activation_7d: 0.7, retention_30d: 0.5}}",
            with:
                "truth: {activation_7d: 0.7, retention_30d: 0.5, time_to_first_win: {distribution: fixed, median_minutes: 31}}}"
        )
        #expect(flows != smallScenario)
        let text =
            flows.replacingOccurrences(
                of: """
                    sweep:
                      engine.epsilon: [0.1, 0.3]
                      engine.policy: [seed-epsilon-greedy, thompson]
                    """,
                with: """
                    governance: {max_win_score_degradation: 1.0}
                    sweep:
                      engine.weights.activation_7d: [0.5, 1.0]
                      engine.weights.retention_30d: [0.3, 0.6]
                      engine.weights.speed: [0.2, 0.4]
                    """)
        let scenario = try ScenarioLoader.parse(text, file: "weights.yaml")
        #expect(scenario.sweep.count == 3)
        let plan = try ExperimentPlan(scenario: scenario, sweep: true)
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        let names = plan.configurations.map(\.name)
        let single = try #require(names.first)
        let double = try #require(names.last)
        #expect(plan.configurations.last?.scenario.engine.weights.speed == 0.4)

        func daily(_ config: String) -> [DailyRecord] {
            results.dailyRows.filter { $0.config == config }.map(\.record)
        }
        func replicates(_ config: String) -> [ReplicateSummary] {
            results.replicateRows.filter { $0.config == config }.map(\.summary)
        }
        #expect(!daily(single).isEmpty)
        let sameDaily = daily(single) == daily(double)
        let sameReplicates = replicates(single) == replicates(double)
        #expect(sameDaily, "daily records differ between weights ×1 and ×2")
        #expect(sameReplicates, "replicate summaries differ between weights ×1 and ×2")
        // The regret is measured, not zero: the identity is not the trivial one.
        #expect(daily(single).contains { $0.regret > 0 })
        // A configuration that weighs the metrics differently does decide differently (activation against speed;
        // retention is invisible in the seed's 30-day window, SPEC §1.8).
        let activationHeavy = try #require(
            plan.configurations.first { configuration in
                let weights = configuration.scenario.engine.weights
                return weights.activation7d == 1.0 && weights.retention30d == 0.3 && weights.speed == 0.2
            })
        let differs = daily(activationHeavy.name) != daily(single)
        #expect(differs, "an activation-heavy engine made exactly the decisions of the seed weights")
    }
}
