import Testing

@testable import Scenarios

/// The `objective` block (SPEC §2.4): the yardstick shared by every configuration, separate from `engine.weights`.
@Suite struct ObjectiveTests {
    static let base = """
        name: objective
        traffic: {signups_per_day: 50}
        personas:
          - id: p
            activation_event: win
            v3_default: [{flow: a, variant: v}]
            flows:
              - id: a
                steps: [s1, win]
                truth: {activation_7d: 0.5, retention_30d: 0.3}

        """

    @Test func defaultsToTheSeedWeightsWhateverTheEngineWeights() throws {
        let scenario = try ScenarioLoader.parse(
            Self.base + "engine: {weights: {activation_7d: 1, retention_30d: 0, speed: 0}}\n", file: "o.yaml")
        #expect(
            scenario.objective == Objective(activation7d: 0.5, retention30d: 0.3, speed: 0.2, speedHorizonMinutes: 1440)
        )
        #expect(scenario.engine.weights.activation7d == 1)
    }

    @Test func readsEveryKeyAndKeepsDefaultsForTheOthers() throws {
        let scenario = try ScenarioLoader.parse(
            Self.base + "objective: {activation_7d: 1, speed: 0, speed_horizon_minutes: 60}\n", file: "o.yaml")
        #expect(scenario.objective == Objective(activation7d: 1, retention30d: 0.3, speed: 0, speedHorizonMinutes: 60))
        #expect(try ScenarioLoader.parse(scenario.resolvedYAML(), file: "resolved.yaml") == scenario)
    }

    @Test(arguments: [
        (
            "objective: {activation_7d: 0, retention_30d: 0, speed: 0}",
            "o.yaml:11:12: objective: the objective's weights are all zero"
        ),
        ("objective: {activation_7d: -1}", "o.yaml:11:28: objective.activation_7d:"),
        ("objective: {speed_horizon_minutes: 0}", "o.yaml:11:36: objective.speed_horizon_minutes:"),
        ("objective: {weight: 1}", "o.yaml:11:13: objective.weight: unknown key 'weight'"),
        (
            "sweep: {objective.speed: [0.1, 0.2]}",
            "o.yaml:11:9: sweep.objective.speed: 'objective.speed' cannot be swept"
        ),
    ])
    func rejectsWithALocatedReason(line: String, expected: String) throws {
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.parse(Self.base + line + "\n", file: "o.yaml")
        }
        let text = error.diagnostics.map(\.description).joined(separator: "\n")
        #expect(text.hasPrefix(expected), "\(text)")
    }
}
