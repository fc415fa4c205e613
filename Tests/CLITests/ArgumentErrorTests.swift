import Foundation
import LabTestSupport
import Testing

/// Wrong input: usage errors exit 64 (ArgumentParser), requests the engine refuses exit 6; nothing is written.
@Suite("argument errors")
struct ArgumentErrorTests {
    /// A database with one configured persona and one assigned user.
    static func prepared() throws -> LabCLI {
        let lab = try LabCLI()
        let config = try lab.write("engine.yaml", sessionConfig)
        let created = try lab.run("engine", "init", "db.sqlite", "--config", config, "--at", "0")
        try #require(created.exitCode == 0, "\(created)")
        let assigned = try lab.run(
            "engine", "assign", "db.sqlite", "--user", "ann", "--persona", "mlm_newbie", "--at", "10")
        try #require(assigned.exitCode == 0, "\(assigned)")
        return lab
    }

    @Test(arguments: [
        (
            "yesterday",
            "expected minutes of the engine clock (e.g. 29929530) or an ISO 8601 UTC time (e.g. 2026-11-27T09:30:00Z)"
        ),
        ("2026-02-29T10:00Z", "day 29 is out of range for 2026-02 (01–28)"),
        ("2026-13-01", "month 13 is out of range (01–12)"),
        ("2026-11-27T24:00Z", "hour 24 is out of range (00–23)"),
        ("2026-11-27T09:30:15Z", "seconds must be 00: the engine clock counts whole minutes"),
        ("2026-11-27T09:30", "an ISO 8601 time must be UTC and end in Z (e.g. 2026-11-27T09:30Z)"),
        ("2026-11-27T09:30+01:00", "an ISO 8601 time must be UTC and end in Z (e.g. 2026-11-27T09:30Z)"),
    ])
    func badTime(text: String, reason: String) throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        let before = try lab.bytes("db.sqlite")
        let r = try lab.run("engine", "nightly", "db.sqlite", "--at", text)
        #expect(r.exitCode == 64, "\(r)")
        #expect(usageError(r) == "The value '\(text)' is invalid for '--at <time>': \(reason)")
        #expect(r.stderr.contains("Usage: onboarding-lab engine nightly <database> [--at <time>]"))
        #expect(try lab.bytes("db.sqlite") == before)
    }

    /// Both forms of a time name the same minute: 2024-02-29T23:59Z is minute 28_487_519 (19_782 days · 1440 + 1439, checked with Python's datetime).
    @Test func isoAndMinutesAgree() throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        for (i, at) in ["2024-02-29T23:59Z", "2024-02-29T23:59:00Z", "28487519"].enumerated() {
            let r = try lab.run("engine", "nightly", "db.sqlite", "--at", at, "--format", "json")
            try #require(r.exitCode == 0, "\(r)")
            let job = try #require((try parseJSON(r.stdout) as? [String: Any])?["job"] as? [String: Any], "\(i)")
            #expect(job["started_at"] as? Int == 28_487_519)
        }
        let jobs = try lab.run("inspect", "db.sqlite", "--section", "jobs")
        #expect(jobs.stdout.components(separatedBy: "2024-02-29T23:59Z  2024-02-29T23:59Z").count == 4, "\(jobs)")
    }

    /// `--at` is optional (now, UTC); an omitted `--at` with `--set` is now too.
    @Test func omittedTimeIsNow() throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        let r = try lab.run("engine", "outcome", "db.sqlite", "--user", "ann", "--outcome", "activated")
        #expect(r.exitCode == 0, "\(r)")
        let set = try lab.run("engine", "settings", "db.sqlite", "--set", "epsilon=0.1")
        #expect(set.exitCode == 0, "\(set)")
        #expect(set.stdout.contains("0.1"), "\(set)")
    }

    @Test func unknownSettingKeyAndBadValue() throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        let before = try lab.bytes("db.sqlite")
        let unknown = try lab.run(
            "engine", "settings", "db.sqlite", "--set", "epsilon=0.1", "--set", "exploration=0.3", "--at", "20")
        #expect(unknown.exitCode == 6, "\(unknown)")
        #expect(
            unknown.stderr.hasPrefix("error: setting exploration: unknown setting; known settings: policy, epsilon, "))
        #expect(unknown.stdout.isEmpty)
        let outOfRange = try lab.run("engine", "settings", "db.sqlite", "--set", "holdback=1.5", "--at", "20")
        #expect(outOfRange.exitCode == 6)
        #expect(outOfRange.stderr == "error: setting holdback: must be between 0 and 1, found 1.5\n")
        let malformed = try lab.run("engine", "settings", "db.sqlite", "--set", "epsilon", "--at", "20")
        #expect(malformed.exitCode == 64)
        #expect(usageError(malformed) == "--set expects key=value, found 'epsilon'")
        #expect(try lab.bytes("db.sqlite") == before, "a rejected --set writes nothing, not even the valid ones")
    }

    @Test func unknownOutcomeUserAndPersona() throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        let before = try lab.bytes("db.sqlite")
        let outcome = try lab.run(
            "engine", "outcome", "db.sqlite", "--user", "ann", "--outcome", "churned", "--at", "20")
        #expect(outcome.exitCode == 6)
        #expect(
            outcome.stderr == "error: unknown outcome 'churned' (expected one of activated, retained_30d, upgraded)\n")
        let user = try lab.run(
            "engine", "outcome", "db.sqlite", "--user", "bob", "--outcome", "activated", "--at", "20")
        #expect(user.exitCode == 6)
        #expect(user.stderr == "error: unknown user 'bob': no flow assignment exists for it\n")
        let event = try lab.run("engine", "event", "db.sqlite", "--user", "bob", "--event", "first_lead", "--at", "20")
        #expect(event.exitCode == 6)
        #expect(event.stderr == "error: unknown user 'bob': no flow assignment exists for it\n")
        let persona = try lab.run(
            "engine", "assign", "db.sqlite", "--user", "cy", "--persona", "astronaut", "--at", "20")
        #expect(persona.exitCode == 6)
        #expect(persona.stderr == "error: unknown persona 'astronaut': it has no v3 default and no flow patterns\n")
        #expect(try lab.bytes("db.sqlite") == before)
    }

    @Test func inspectUsage() throws {
        let lab = try Self.prepared()
        defer { lab.remove() }
        let csv = try lab.run("inspect", "db.sqlite", "--format", "csv")
        #expect(csv.exitCode == 64)
        #expect(
            usageError(csv)
                == "--format csv prints one table: choose it with --section patterns|champions|jobs|events|trend"
        )
        let section = try lab.run("inspect", "db.sqlite", "--section", "flows")
        #expect(section.exitCode == 64)
        #expect(usageError(section).hasPrefix("The value 'flows' is invalid for '--section <section>'"))
        let metadata = try lab.run(
            "engine", "event", "db.sqlite", "--user", "ann", "--event", "x", "--at", "20", "--metadata", "{oops")
        #expect(metadata.exitCode == 64)
        #expect(usageError(metadata) == "--metadata is not valid JSON: {oops")
    }
}
