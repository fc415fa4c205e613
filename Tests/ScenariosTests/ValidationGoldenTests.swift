import Foundation
import Testing

@testable import Scenarios

/// Every malformed fixture in `Fixtures/invalid/` is parsed and its complete error text compared, line for line,
/// with the `.expected` file beside it. Run with `SCENARIOS_UPDATE_GOLDEN=1` to rewrite the expected files after a
/// deliberate change of wording, then review the diff.
@Suite struct ValidationGoldenTests {
    static let fixtures = [
        "syntax-error", "duplicate-key", "empty", "not-a-mapping", "unknown-keys", "wrong-types", "missing-keys",
        "probabilities", "personas-and-flows", "references", "sweep-and-baseline", "traffic-and-engine",
        "schedules-and-lists", "several-errors", "limits", "busy-traffic", "trends", "busy-growth",
        "funnels-and-delays",
    ]

    /// The errors of a fixture, as the CLI would print them, ending with a newline.
    static func report(for name: String) throws -> String {
        let text = try Fixtures.text("invalid/\(name).yaml")
        do {
            _ = try ScenarioLoader.parse(text, file: "\(name).yaml")
            return ""
        } catch let error as ScenarioError {
            return error.description + "\n"
        }
    }

    @Test(arguments: fixtures)
    func reportsEveryProblemOfTheFile(name: String) throws {
        let actual = try Self.report(for: name)
        #expect(!actual.isEmpty, "\(name).yaml was accepted")
        let expectedURL = Fixtures.url("invalid/\(name).expected")
        if ProcessInfo.processInfo.environment["SCENARIOS_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, pair) in zip(expectedLines, actualLines).enumerated() where pair.0 != pair.1 {
            Issue.record("\(name).expected line \(index + 1)\n  expected: \(pair.0)\n  actual:   \(pair.1)")
        }
        #expect(actualLines.count == expectedLines.count, "\(name): line counts differ; actual:\n\(actual)")
    }

    @Test func everyFixtureIsChecked() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("invalid").path)
        let names = Set(files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        #expect(names == Set(Self.fixtures))
    }

    @Test func severalErrorsAreReportedTogetherInFileOrder() throws {
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.parse(Fixtures.text("invalid/several-errors.yaml"), file: "several-errors.yaml")
        }
        #expect(error.diagnostics.count >= 7)
        let positions = error.diagnostics.map { [$0.location.line, $0.location.column] }
        #expect(positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// Each validation rule of SPEC §2.1 (and of the scenario format) with a fragment of its message, and the
    /// fixture whose golden shows it.
    static let rules: [(rule: String, fixture: String, fragment: String)] = [
        ("YAML syntax error with Yams' line and column", "syntax-error", "syntax-error.yaml:3:9: YAML syntax error"),
        ("duplicate keys", "duplicate-key", "duplicate key 'epsilon'"),
        ("empty file", "empty", "the file is empty"),
        ("top level not a mapping", "not-a-mapping", "expected a mapping, found a list"),
        (
            "unknown key with suggestion", "unknown-keys",
            "unknown key 'replicate' (did you mean 'replicates'?); allowed keys:"
        ),
        ("unknown key without suggestion", "unknown-keys", "unknown key 'horizon'; allowed keys:"),
        ("unknown key in nested blocks", "unknown-keys", "engine.exploration_priority.thresholds.lo: unknown key 'lo'"),
        ("wrong type", "wrong-types", "expected a number, found string 'abc'"),
        ("wrong type for text", "wrong-types", "expected a string, found integer 7 (put it in quotes"),
        ("wrong collection type", "wrong-types", "expected a list, found a mapping"),
        ("enumerations", "wrong-types", "'gaussian' is not one of lognormal, exponential, fixed"),
        ("missing required key", "missing-keys", "personas[0].flows[0].steps: missing required key 'steps'"),
        (
            "scenario flows need a truth", "missing-keys",
            "missing required key 'truth' (every flow of a scenario needs a truth)"
        ),
        ("scenario personas need v3_default", "missing-keys", "missing required key 'v3_default'"),
        ("scenario personas need activation_event", "missing-keys", "missing required key 'activation_event'"),
        ("probability out of range", "probabilities", "truth.activation_7d: must be between 0 and 1, found 1.2"),
        ("retention parts out of range", "probabilities", "retention_30d.if_not: must be between 0 and 1, found -1"),
        ("governance probabilities", "probabilities", "governance.max_win_score_degradation: must be between 0 and 1"),
        ("min_probability range", "probabilities", "min_probability: must be between 0 and 1, found 95"),
        ("non-positive share", "personas-and-flows", "share: must be greater than 0 and at most 1000000, found 0"),
        ("flow with empty steps", "personas-and-flows", "a flow needs at least one step"),
        ("step repeated within a flow", "personas-and-flows", "step 'x' is repeated"),
        ("duplicate persona ids", "personas-and-flows", "duplicate persona id 'p'"),
        ("duplicate flow ids", "personas-and-flows", "duplicate flow id 'c'"),
        ("identical steps in one persona", "personas-and-flows", "same steps as flow 'c'"),
        ("id characters", "personas-and-flows", "invalid persona id 'two words'"),
        ("id characters in steps", "personas-and-flows", "invalid step id 'step:1'"),
        ("empty ids", "personas-and-flows", "step id must not be empty"),
        ("v3_default flow exists", "references", "v3_default[1].flow: unknown flow 'Z'"),
        ("deviation target exists", "references", "unknown flow 'flow_lng' (did you mean 'flow_long'?)"),
        ("deviation source exists", "references", "deviation.from[2]: unknown flow 'Q'"),
        (
            "deviation source is not a target", "references",
            "flow 'B' is both a deviation source and a deviation target"
        ),
        ("drift flow exists", "references", "drift[1].flow: unknown flow 'C'"),
        ("negative days", "references", "introduced_day: must be between 0 and 3649, found -3"),
        ("drift day within horizon", "references", "drift[0].day: day 60 is beyond the horizon"),
        (
            "check on unknown persona", "references",
            "checks[1].persona: unknown persona 'persona_p'; known personas: p, q"
        ),
        ("check day within horizon", "references", "champion_is_true_best_by_day: day 60 is beyond the horizon"),
        (
            "sweep key close to a setting", "sweep-and-baseline",
            "'engine.epsilom' is not a sweepable setting (did you mean 'engine.epsilon'?)"
        ),
        (
            "sweep key lists the settings", "sweep-and-baseline",
            "'traffic.signups_per_day' is not a sweepable setting; sweepable settings: engine.policy,"
        ),
        (
            "sweep value out of range", "sweep-and-baseline",
            "sweep.engine.holdback[1]: must be between 0 and 1, found 1.5"
        ),
        (
            "sweep value of the wrong type", "sweep-and-baseline",
            "sweep.engine.window_days[1]: expected an integer, found number 14.5"
        ),
        ("sweep value repeated", "sweep-and-baseline", "value 0.1 is listed twice"),
        (
            "sweep grid combinations", "sweep-and-baseline",
            "the configuration engine.weights.activation_7d=0.0 is invalid"
        ),
        ("baseline key not swept", "sweep-and-baseline", "'engine.speed_horizon_minutes' is not swept"),
        ("baseline value among swept values", "sweep-and-baseline", "0.3 is not among the swept values 0.1, 0.2"),
        ("name pattern", "traffic-and-engine", "invalid name 'Traffic_And_Engine'"),
        ("weights all zero", "traffic-and-engine", "the weights are all zero"),
        ("thresholds in order", "traffic-and-engine", "low (40) must not be greater than high (30)"),
        ("sigma for lognormal only", "traffic-and-engine", "sigma applies only to the lognormal distribution"),
        ("weekly has 7 entries", "traffic-and-engine", "must list exactly 7 multipliers"),
        ("weekly not all zero", "schedules-and-lists", "the multipliers are all zero"),
        (
            "schedule days increase", "schedules-and-lists",
            "from_day must increase: 30 does not come after 30"
        ),
        ("schedule starts at day 0", "missing-keys", "the schedule must start at from_day 0, found 3"),
        ("at least one persona", "schedules-and-lists", "must list at least one persona"),
        ("horizon at most ten years", "limits", "horizon_days: must be between 1 and 3650, found 9223372036854775807"),
        ("replicates bounded", "limits", "replicates: must be between 1 and 100000, found 1000000"),
        ("signups per day bounded", "limits", "signups_per_day: must be between 0 and 10000000"),
        ("lognormal sigma bounded", "limits", "sigma: must be between 0 and 10, found 40"),
        ("window bounded", "limits", "engine.window_days: must be between 1 and 3650"),
        ("degradation in [0, 1]", "limits", "governance.max_win_score_degradation: must be between 0 and 1, found 2"),
        ("busiest day bounded", "busy-traffic", "the busiest day expects 18000000.0 signups"),
    ]

    @Test func everyRuleIsCoveredByAGolden() throws {
        for rule in Self.rules {
            let expected = try String(contentsOf: Fixtures.url("invalid/\(rule.fixture).expected"), encoding: .utf8)
            #expect(
                expected.contains(rule.fragment), "\(rule.rule): '\(rule.fragment)' not in \(rule.fixture).expected")
        }
    }
}
