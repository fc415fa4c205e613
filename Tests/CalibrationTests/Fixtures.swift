import Calibration
import Experiments
import Foundation
import LabTestSupport
import Scenarios

/// Simulated engine databases for the calibration tests.
enum Fixtures {
    /// A fresh scratch folder.
    static func folder() throws -> URL {
        try CLIRunner.makeTemporaryDirectory(prefix: "calibration-tests")
    }

    /// Runs `text` (one replicate) on the SQLite store and returns the path of its `engine.sqlite`.
    static func simulate(_ text: String, in folder: URL, seed: UInt64? = nil) throws -> (Scenario, String) {
        let scenario = try ScenarioLoader.parse(text, file: "fixture.yaml")
        let plan = try ExperimentPlan(scenario: scenario, sweep: false, replicates: 1, seed: seed)
        _ = try ExperimentRunner.run(plan, options: RunOptions(store: .sqlite, databaseDirectory: folder.path))
        return (plan.scenario, folder.appendingPathComponent("engine.sqlite").path)
    }

    /// A small scenario: `personas` YAML lines under `personas:`, `days` days at `perDay` signups.
    static func scenario(days: Int, perDay: Int, personas: String, weekly: String = "") -> String {
        """
        name: fixture
        seed: 5
        horizon_days: \(days)
        traffic: {signups_per_day: \(perDay)\(weekly.isEmpty ? "" : ", weekly: \(weekly)")}
        personas:
        \(personas)
        """
    }

    /// One persona with two flows (`activation` of each), both in the v3 default.
    static func twoFlowPersona(activation: (Double, Double) = (0.4, 0.6)) -> String {
        """
          - id: solo
            activation_event: win
            v3_default: [{flow: a, variant: va}, {flow: b, variant: vb}]
            flows:
              - {id: a, steps: [a1, win], truth: {activation_7d: \(activation.0), retention_30d: 0.3, upgrade: 0.05, time_to_first_win: {distribution: lognormal, median_minutes: 200, sigma: 0.9}}}
              - {id: b, steps: [b1, win], truth: {activation_7d: \(activation.1), retention_30d: 0.4, upgrade: 0.05, time_to_first_win: {distribution: lognormal, median_minutes: 200, sigma: 0.9}}}
        """
    }
}
