import Scenarios
import Simulation

/// Checks that need the oracle (so they cannot live in `Scenarios`): a check on a persona whose true best flow
/// at the check's day is not unique is rejected (SPEC §2.1). The objective is the same for every configuration of
/// a sweep, so one oracle decides for all of them.
public enum ScenarioValidation {
    public static func diagnostics(_ scenario: Scenario) -> [Diagnostic] {
        guard !scenario.checks.isEmpty, let world = try? ScenarioMapping.world(from: scenario) else { return [] }
        let oracle = Oracle(world: world)
        var result: [Diagnostic] = []
        for (i, check) in scenario.checks.enumerated() {
            guard let p = scenario.personas.firstIndex(where: { $0.id == check.persona }) else { continue }
            let day = check.championIsTrueBestByDay
            let best = oracle.trueBest(persona: p, day: day)
            guard !best.unique else { continue }
            let tied = oracle.presentable(persona: p, day: day)
                .filter { oracle.trueScore(persona: p, flow: $0, day: day) == best.score }
                .map { world.personas[p].flows[$0].id }
            result.append(
                Diagnostic(
                    location: check.location, path: "checks[\(i)]",
                    reason:
                        "the true best flow of \(check.persona) on day \(day) is not unique (\(tied.joined(separator: ", ")) tie at \(best.score)); the check cannot pass or fail meaningfully"
                ))
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

/// The truth of a scenario's world under its objective (the `truth` command and the top of report.md).
public enum TruthTable {
    /// Every persona × flow on `day` (see `Oracle.table(day:)`).
    public static func rows(scenario: Scenario, day: Int) throws -> [TruthRow] {
        try Oracle(world: ScenarioMapping.world(from: scenario)).table(day: day)
    }

    /// How users reach a flow, in words: "v3 default; deviation target", or "unreachable" (and "not yet
    /// presentable" for a candidate introduced after the day).
    public static func reach(_ row: TruthRow) -> String {
        guard row.isReachable else { return "unreachable" }
        let ways = row.reachability.map(\.description).joined(separator: "; ")
        return row.presentable ? ways : ways + " (not yet presentable)"
    }

    /// persona → local id of its true best flow on `day` (ties: first declared).
    public static func trueBest(scenario: Scenario, day: Int) -> [String: String] {
        guard let rows = try? rows(scenario: scenario, day: day) else { return [:] }
        var result: [String: String] = [:]
        for row in rows where row.rank == 1 && row.presentable && result[row.persona] == nil {
            result[row.persona] = row.flow
        }
        return result
    }
}
