import Scenarios
import Simulation

/// Checks that need the oracle (so they cannot live in `Scenarios`): a check on a persona whose true best flow
/// at the check's day is not unique, under any configuration of the sweep, is rejected (SPEC §2.1).
public enum ScenarioValidation {
    public static func diagnostics(_ scenario: Scenario) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let grid = scenario.configurations()
        for (i, check) in scenario.checks.enumerated() {
            guard let p = scenario.personas.firstIndex(where: { $0.id == check.persona }) else { continue }
            for overrides in grid {
                guard let applied = try? scenario.applying(overrides),
                    let config = try? ScenarioMapping.simulationConfig(from: applied)
                else { continue }
                let oracle = Oracle(
                    world: config.world, weights: config.settings.weights,
                    speedHorizon: config.settings.speedHorizonMinutes)
                let best = oracle.trueBest(persona: p, day: check.championIsTrueBestByDay)
                guard !best.unique else { continue }
                let tied = oracle.presentable(persona: p, day: check.championIsTrueBestByDay)
                    .filter { oracle.trueScore(persona: p, flow: $0, day: check.championIsTrueBestByDay) == best.score }
                    .map { config.world.personas[p].flows[$0].id }
                let under =
                    overrides.isEmpty
                    ? ""
                    : " under "
                        + overrides.keys.sorted().map { "\($0)=\(overrides[$0]?.description ?? "")" }.joined(
                            separator: ", ")
                result.append(
                    Diagnostic(
                        location: check.location, path: "checks[\(i)]",
                        reason:
                            "the true best flow of \(check.persona) on day \(check.championIsTrueBestByDay) is not unique (\(tied.joined(separator: ", ")) tie at \(best.score))\(under); the check cannot pass or fail meaningfully"
                    ))
                break
            }
        }
        return result
    }

    /// Loads a scenario and runs every validation, throwing one `ScenarioError` with all diagnostics.
    public static func load(path: String) throws -> Scenario {
        let scenario = try ScenarioLoader.load(path: path)
        let extra = diagnostics(scenario)
        guard extra.isEmpty else { throw ScenarioError(diagnostics: extra) }
        return scenario
    }
}

/// The true best flow of every persona on a given day, per configuration (report tables).
public enum TrueBest {
    /// persona → config name → local flow id (ties: first declared).
    public static func table(scenario: Scenario, configs: ConfigTable, day: Int) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for entry in configs.configs {
            guard let applied = try? scenario.applying(entry.values),
                let config = try? ScenarioMapping.simulationConfig(from: applied)
            else { continue }
            let oracle = Oracle(
                world: config.world, weights: config.settings.weights, speedHorizon: config.settings.speedHorizonMinutes
            )
            for (p, persona) in config.world.personas.enumerated() {
                let best = oracle.trueBest(persona: p, day: day)
                if best.flow >= 0 { result[persona.id, default: [:]][entry.name] = persona.flows[best.flow].id }
            }
        }
        return result
    }
}
