import Foundation
import Testing

@testable import Scenarios

/// `scenarios/scenario.schema.json` is checked with Python's `jsonschema` (draft 2020-12) on files read by PyYAML,
/// as an editor would. These tests fail, rather than skip, when python3, PyYAML or jsonschema is missing.
@Suite struct SchemaTests {
    /// Validates each file against the schema; prints one line per file: `valid <path>` or `invalid <path>: <why>`.
    static let script = """
        import json, sys
        try:
            import yaml, jsonschema
        except ImportError as error:
            print("missing python module: %s" % error.name, file=sys.stderr)
            sys.exit(3)
        with open(sys.argv[1]) as handle:
            schema = json.load(handle)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            with open(path) as handle:
                document = yaml.safe_load(handle)
            errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
            if errors:
                where = "/".join(map(str, errors[0].absolute_path))
                print("invalid %s: %s: %s" % (path, where, errors[0].message))
            else:
                print("valid %s" % path)
        """

    static let installHint =
        "install python3 with the PyYAML and jsonschema modules "
        + "(Debian/Ubuntu: apt-get install python3 python3-yaml python3-jsonschema; or pip install pyyaml jsonschema)"

    /// The verdict for each path, in order; records an issue (failing the test) when Python cannot run the check.
    static func validate(_ paths: [String]) throws -> [(path: String, valid: Bool, line: String)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Fixtures.schema.path] + paths
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            Issue.record("cannot start python3 (\(error)); \(installHint)")
            return []
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errorData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            switch process.terminationStatus {
            case 127: Issue.record("python3 was not found; \(installHint)")
            case 3: Issue.record("\(stderr.trimmingCharacters(in: .whitespacesAndNewlines)); \(installHint)")
            default: Issue.record("the schema check failed (exit \(process.terminationStatus)):\n\(stderr)")
            }
            return []
        }
        let lines = String(decoding: outputData, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == paths.count, "unexpected output:\n\(lines.joined(separator: "\n"))\n\(stderr)")
        return zip(paths, lines).map { path, line in (path, line.hasPrefix("valid "), line) }
    }

    @Test func acceptsValidScenariosAndTheirResolvedForm() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("scenario-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths = [Fixtures.url("valid-full.yaml").path, Fixtures.url("minimal.yaml").path]
        for fixture in ["valid-full.yaml", "minimal.yaml"] {
            let scenario = try ScenarioLoader.parse(Fixtures.text(fixture), file: fixture)
            let resolved = directory.appendingPathComponent("resolved-\(fixture)")
            try scenario.resolvedYAML().write(to: resolved, atomically: true, encoding: .utf8)
            paths.append(resolved.path)
        }
        for result in try Self.validate(paths) {
            #expect(result.valid, "\(result.line)")
        }
    }

    @Test func rejectsInvalidScenarios() throws {
        // Files whose problems a schema can express (the others need the loader: references, duplicates, days).
        let invalid = [
            "unknown-keys", "wrong-types", "missing-keys", "probabilities", "personas-and-flows", "traffic-and-engine",
            "schedules-and-lists", "several-errors", "sweep-and-baseline", "not-a-mapping", "empty",
        ]
        let paths = invalid.map { Fixtures.url("invalid/\($0).yaml").path }
        for result in try Self.validate(paths) {
            #expect(!result.valid, "the schema accepted \(result.path)")
        }
    }

    @Test func rejectsSingleMistakes() throws {
        let base = try Fixtures.text("minimal.yaml")
        let mistakes: [(String, String)] = [
            ("name: minimal", "name: Minimal"),
            ("traffic: {signups_per_day: 50}", "traffic: {signups_per_day: 50, arrivals: bursty}"),
            ("traffic: {signups_per_day: 50}", "traffic: {arrivals: poisson}"),
            ("retention_30d: 0.3}", "retention_30d: 1.3}"),
            ("retention_30d: 0.3}", "retention_30d: {if_activated: 0.3}}"),
            ("steps: [s1, win]", "steps: [s1, s1]"),
            ("steps: [s1, win]", "steps: [\"a>b\"]"),
            ("name: minimal", "name: minimal\nengine: {epsilom: 0.1}"),
            ("name: minimal", "name: minimal\nsweep: {engine.epsilon: [2]}"),
            ("name: minimal", "name: minimal\nsweep: {engine.speed: [1]}"),
            (
                "truth: {activation_7d: 0.5, retention_30d: 0.3}",
                "truth: {activation_7d: 0.5, retention_30d: 0.3, time_to_first_win: {distribution: fixed, sigma: 1}}"
            ),
            ("retention_30d: 0.3}", "retention_30d: {mean: 0.3}}"),
            ("activation_7d: 0.5", "activation_7d: {mean: 0.5, concentration: 0}"),
            ("activation_7d: 0.5", "activation_7d: {mean: 0.5, concentration: 2, spread: 1}"),
            ("name: minimal", "name: minimal\npersona_inference: {p: {p: -1}}"),
            ("name: minimal", "name: minimal\npersona_inference: [{matrix: {p: {p: 1}}}]"),
            ("steps: [s1, win]", "steps: [s1, win]\n        funnel: {s1: 1.5}"),
            ("steps: [s1, win]", "steps: [s1, win]\n        funnel: {}"),
            ("retention_30d: 0.3}", "retention_30d: 0.3, upgrade: {if_retained: 0.3, if_not: 0.1}}"),
            ("retention_30d: 0.3}", "retention_30d: 0.3, upgrade: {if_activated: 0.3}}"),
            ("activation_event: win", "activation_event: win\n    outcome_delays: {}"),
            ("activation_event: win", "activation_event: win\n    outcome_delays: {retention: {median_days: 0}}"),
            ("activation_event: win", "activation_event: win\n    outcome_delays: {retention: {max_days: 0.5}}"),
            (
                "activation_event: win",
                "activation_event: win\n    trends: [{field: time_to_first_win_median, ramp: {from: 0, to: 60, start_day: 0, end_day: 10}}]"
            ),
            (
                "activation_event: win",
                "activation_event: win\n    outcome_delays: {upgrade: {distribution: exponential, sigma: 1}}"
            ),
        ]
        try Self.expectRejected(base: base, mistakes: mistakes)
    }

    /// Each mistake (a replacement of one part of `base`) is rejected by the loader and by the schema.
    static func expectRejected(base: String, mistakes: [(String, String)]) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("scenario-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (index, mistake) in mistakes.enumerated() {
            #expect(base.contains(mistake.0))
            let text = base.replacingOccurrences(of: mistake.0, with: mistake.1)
            let url = directory.appendingPathComponent("mistake-\(index).yaml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
            #expect(throws: ScenarioError.self, "the loader accepted: \(mistake.1)") {
                try ScenarioLoader.parse(text, file: "mistake-\(index).yaml")
            }
        }
        let results = try validate(paths)
        #expect(results.count == mistakes.count)
        for result in results { #expect(!result.valid, "the schema accepted \(result.path)") }
    }

    /// The curated scenarios of `scenarios/` (if any) satisfy both the schema and the loader.
    @Test func curatedScenariosAreValid() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let paths = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { folder.appendingPathComponent($0).path }
        guard !paths.isEmpty else { return }
        for path in paths {
            #expect(throws: Never.self, "\(path)") { try ScenarioLoader.load(path: path) }
        }
        for result in try Self.validate(paths) {
            #expect(result.valid, "\(result.line)")
        }
    }
}

/// The committed schema is the generated one: its settings, sweep, baseline, horizon and replicates parts come
/// from the settings table (``EngineSettings/table``) and ``ScenarioLimits``. `SCENARIOS_UPDATE_SCHEMA=1`
/// rewrites the file after a deliberate change of the table; review the diff.
@Suite struct GeneratedSchemaTests {
    @Test func committedSchemaEqualsTheGeneratedOne() throws {
        let committed = try Data(contentsOf: Fixtures.schema)
        let generated = try SettingsSchema.schema(updating: committed)
        if ProcessInfo.processInfo.environment["SCENARIOS_UPDATE_SCHEMA"] == "1" {
            try Data(generated.utf8).write(to: Fixtures.schema)
            return
        }
        #expect(
            String(decoding: committed, as: UTF8.self) == generated,
            "scenarios/scenario.schema.json is not the generated schema; run SCENARIOS_UPDATE_SCHEMA=1 swift test --filter GeneratedSchemaTests"
        )
    }

    @Test func everySettingOfTheTableIsInTheSchemaWithItsRange() throws {
        let root = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.schema)) as? [String: Any])
        let sweep = try #require((root["properties"] as? [String: Any])?["sweep"] as? [String: Any])
        let properties = try #require(sweep["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(Scenario.settingPaths))
        let degradation = try #require(
            (properties["governance.max_win_score_degradation"] as? [String: Any])?["items"] as? [String: Any])
        #expect(degradation["maximum"] as? Double == 1)
        let window = try #require((properties["engine.window_days"] as? [String: Any])?["items"] as? [String: Any])
        #expect(window["maximum"] as? Int == 3650)
    }
}
