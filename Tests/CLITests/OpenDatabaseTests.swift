import Foundation
import LabTestSupport
import Testing

/// The engine database as an operator lives with it (issue 9): `--at` optional, backdating refused, readers never
/// block the engine, a killed nightly job recovered by the next one, the job lease.
@Suite("open engine database")
struct OpenDatabaseTests {
    static let python = URL(fileURLWithPath: "/usr/bin/python3")

    /// Runs a query with Python's sqlite3 module (no custom function) and returns its rows, one per line, fields
    /// separated by `|`.
    static func query(_ lab: LabCLI, _ sql: String) throws -> [String] {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for row in db.execute(sys.argv[2]):
                print("|".join("" if v is None else str(v) for v in row))
            db.commit()
            """
        let r = try CLIRunner.run(python, ["-c", script, lab.path("lab.sqlite"), sql])
        #expect(r.exitCode == 0, "\(r)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    static func initialised() throws -> LabCLI {
        let lab = try LabCLI()
        let config = try lab.write(
            "engine.yaml",
            """
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: A, variant: a, weight: 1}]
                flows:
                  - {id: A, steps: [s1, win]}
            """)
        let r = try lab.run("engine", "init", "lab.sqlite", "--config", config, "--at", "2026-11-27T00:00Z")
        try #require(r.exitCode == 0, "\(r)")
        return lab
    }

    /// Without `--at` the operation happens now (UTC); times are ISO 8601 text in the database.
    @Test func omittedAtMeansNow() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        let before = Int(Date().timeIntervalSince1970 / 60)
        let r = try lab.run("engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p")
        try #require(r.exitCode == 0, "\(r)")
        let after = Int(Date().timeIntervalSince1970 / 60)
        let stored = try #require(try Self.query(lab, "SELECT assigned_at FROM onboarding_flow_assignments").first)
        let expected = Set([before, after].map { Self.iso($0) })
        #expect(expected.contains(stored), "assigned_at \(stored), expected one of \(expected)")
        let nightly = try lab.run("engine", "nightly", "lab.sqlite")
        #expect(nightly.exitCode == 0, "\(nightly)")
        let started = try Self.query(lab, "SELECT started_at, status FROM onboarding_learning_jobs")
        #expect(started.count == 1 && started[0].hasSuffix("Z|completed"), "\(started)")
    }

    /// An operation dated before the last completed nightly job is refused (exit 6, both times named, nothing
    /// written) unless `--backdate`.
    @Test func backdatedOperationsAreRefused() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        try #require(
            try lab.run("engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p", "--at", "2026-11-27T09:00Z")
                .exitCode == 0)
        try #require(try lab.run("engine", "nightly", "lab.sqlite", "--at", "2026-11-28T00:00Z").exitCode == 0)
        let refusals: [[String]] = [
            ["engine", "assign", "lab.sqlite", "--user", "u2", "--persona", "p", "--at", "2026-11-27T12:00Z"],
            ["engine", "event", "lab.sqlite", "--user", "u1", "--event", "s1", "--at", "2026-11-27T12:00Z"],
            ["engine", "outcome", "lab.sqlite", "--user", "u1", "--outcome", "retained", "--at", "2026-11-27T12:00Z"],
            ["engine", "nightly", "lab.sqlite", "--at", "2026-11-27T12:00Z"],
            ["engine", "settings", "lab.sqlite", "--set", "epsilon=0.2", "--at", "2026-11-27T12:00Z"],
        ]
        let before =
            try Self.query(lab, "SELECT COUNT(*) FROM onboarding_events")
            + Self.query(lab, "SELECT COUNT(*), MAX(last_updated) FROM onboarding_flow_assignments")
            + Self.query(lab, "SELECT COUNT(*) FROM onboarding_learning_jobs")
            + Self.query(lab, "SELECT value FROM engine_settings WHERE key = 'epsilon'")
        for arguments in refusals {
            let r = try lab.run(arguments)
            #expect(r.exitCode == 6, "\(r)")
            #expect(r.stderr.contains("2026-11-27T12:00Z") && r.stderr.contains("2026-11-28T00:00Z"), "\(r)")
            #expect(r.stderr.contains("--backdate"), "\(r)")
        }
        let after =
            try Self.query(lab, "SELECT COUNT(*) FROM onboarding_events")
            + Self.query(lab, "SELECT COUNT(*), MAX(last_updated) FROM onboarding_flow_assignments")
            + Self.query(lab, "SELECT COUNT(*) FROM onboarding_learning_jobs")
            + Self.query(lab, "SELECT value FROM engine_settings WHERE key = 'epsilon'")
        #expect(after == before)
        let forced = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", "u2", "--persona", "p", "--at", "2026-11-27T12:00Z",
            "--backdate")
        #expect(forced.exitCode == 0, "\(forced)")
        // The same minute as the last nightly job is not before it.
        let same = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", "u3", "--persona", "p", "--at", "2026-11-28T00:00Z")
        #expect(same.exitCode == 0, "\(same)")
        let far = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", "u4", "--persona", "p", "--at", "999999999999")
        #expect(far.exitCode == 64 && far.stderr.contains("9999-12-31T23:59Z"), "\(far)")
    }

    /// A reader holding a read transaction (another process) does not make `engine assign` fail: WAL.
    @Test func readerDoesNotBlockAssign() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        let script = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN")
            db.execute("SELECT COUNT(*) FROM onboarding_flow_assignments").fetchone()
            print("ready", flush=True)
            sys.stdin.readline()
            print(db.execute("SELECT COUNT(*) FROM onboarding_flow_assignments").fetchone()[0], flush=True)
            db.execute("COMMIT")
            """
        let reader = Process()
        reader.executableURL = Self.python
        reader.arguments = ["-c", script, lab.path("lab.sqlite")]
        let output = Pipe()
        let input = Pipe()
        reader.standardOutput = output
        reader.standardInput = input
        try reader.run()
        defer { if reader.isRunning { reader.terminate() } }
        let ready = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        try #require(ready.hasPrefix("ready"), "the reader did not start: \(ready)")
        let r = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p", "--at", "2026-11-27T01:00Z")
        #expect(r.exitCode == 0, "\(r)")
        try input.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        let seen = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(seen.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the reader keeps its snapshot")
        #expect(try Self.query(lab, "SELECT COUNT(*) FROM onboarding_flow_assignments") == ["1"])
    }

    /// kill -9 during the nightly job leaves a `running` row and the lease of a dead process; `inspect` shows the
    /// job failed "abandoned" without writing, and the next nightly job records it so and runs.
    @Test func killedNightlyIsMarkedAbandonedByTheNextOne() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        try #require(
            try lab.run("engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p", "--at", "2026-11-27T09:00Z")
                .exitCode == 0)
        let nightly = Process()
        nightly.executableURL = try CLIRunner.executable(named: "onboarding-lab")
        nightly.arguments = ["engine", "nightly", lab.path("lab.sqlite"), "--at", "2026-11-28T00:00Z"]
        nightly.environment = ProcessInfo.processInfo.environment.merging(
            ["ONBOARDING_LAB_TEST_NIGHTLY_PAUSE": "60"]) { $1 }
        nightly.standardOutput = FileHandle.nullDevice
        nightly.standardError = FileHandle.nullDevice
        try nightly.run()
        // Wait (bounded) until the job row is written, then kill the process in the middle of its learning.
        var running: [String] = []
        for _ in 0..<600 where running.isEmpty {
            running = try Self.query(lab, "SELECT id FROM onboarding_learning_jobs WHERE status = 'running'")
            if running.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        try #require(running.count == 1, "the nightly job never started")
        kill(nightly.processIdentifier, SIGKILL)
        nightly.waitUntilExit()
        #expect(nightly.terminationReason == .uncaughtSignal)
        #expect(try Self.query(lab, "SELECT status FROM onboarding_learning_jobs") == ["running"])
        #expect(try Self.query(lab, "SELECT COUNT(*) FROM onboarding_job_leases") == ["1"])

        let shown = try lab.run("inspect", "lab.sqlite", "--section", "jobs", "--format", "json")
        #expect(shown.exitCode == 0, "\(shown)")
        #expect(shown.stdout.contains("\"failed\"") && shown.stdout.contains("abandoned"), "\(shown)")
        #expect(
            try Self.query(lab, "SELECT status FROM onboarding_learning_jobs") == ["running"], "inspect writes nothing")

        let next = try lab.run("engine", "nightly", "lab.sqlite", "--at", "2026-11-28T00:05Z")
        #expect(next.exitCode == 0, "\(next)")
        #expect(next.stderr.contains("\(running[0])") && next.stderr.contains("abandoned"), "\(next)")
        let jobs = try Self.query(
            lab, "SELECT id, status, substr(error_message, 1, 9) FROM onboarding_learning_jobs ORDER BY rowid")
        #expect(
            jobs == ["\(running[0])|failed|abandoned", jobs.last ?? ""] && jobs.count == 2
                && jobs[1].hasSuffix("|completed|"), "\(jobs)")
        #expect(try Self.query(lab, "SELECT COUNT(*) FROM onboarding_job_leases") == ["0"], "the lease is released")
        let failedEvents = try Self.query(
            lab, "SELECT COUNT(*) FROM orchestrator_events WHERE event_type = 'onboarding_learning_job_failed'")
        #expect(failedEvents == ["1"])
    }

    /// While another live process holds the job lease, the nightly job runs nothing and exits 3 naming the owner.
    @Test func heldLeaseRefusesTheNightlyJob() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        _ = try Self.query(
            lab,
            """
            INSERT INTO onboarding_job_leases (job_type, owner, expires_at)
            VALUES ('nightly_analysis', 'another-host:4242:abcd', '9999-01-01T00:00:00Z')
            """)
        let r = try lab.run("engine", "nightly", "lab.sqlite", "--at", "2026-11-28T00:00Z")
        #expect(r.exitCode == 3, "\(r)")
        #expect(r.stderr.contains("another-host:4242:abcd") && r.stderr.contains("lease"), "\(r)")
        #expect(try Self.query(lab, "SELECT COUNT(*) FROM onboarding_learning_jobs") == ["0"])
        // Once it has expired, the lease is taken over.
        _ = try Self.query(lab, "UPDATE onboarding_job_leases SET expires_at = '2000-01-01T00:00:00Z'")
        let again = try lab.run("engine", "nightly", "lab.sqlite", "--at", "2026-11-28T00:00Z")
        #expect(again.exitCode == 0, "\(again)")
    }

    /// `engine schedule`: the catch-up night runs at once; a failing night calls --on-failure with the job id.
    @Test func scheduleCatchesUpAndReportsFailures() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        try #require(try lab.run("engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p").exitCode == 0)
        let ok = try lab.run("engine", "schedule", "lab.sqlite", "--at-time", "00:00", "--nights", "1")
        #expect(ok.exitCode == 0, "\(ok)")
        #expect(ok.stderr.contains("completed"), "\(ok)")
        #expect(try Self.query(lab, "SELECT status FROM onboarding_learning_jobs") == ["completed"])

        // An outside writer's trigger aborts the learning transaction's pattern writes: the job fails, recorded.
        for event in ["INSERT", "UPDATE"] {
            _ = try Self.query(
                lab,
                "CREATE TRIGGER test_fail_\(event.lowercased()) BEFORE \(event) ON onboarding_flow_patterns BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        }
        _ = try Self.query(lab, "DELETE FROM onboarding_learning_jobs")
        let failed = try lab.run(
            "engine", "schedule", "lab.sqlite", "--at-time", "00:00", "--nights", "1", "--retries", "0",
            "--on-failure", "echo \"$ONBOARDING_JOB_ID $ONBOARDING_DATABASE\" > hook.txt")
        #expect(failed.exitCode == 1, "\(failed)")
        let job = try Self.query(lab, "SELECT id FROM onboarding_learning_jobs WHERE status = 'failed'")
        try #require(job.count == 1, "\(job)")
        let hook = String(decoding: try lab.bytes("hook.txt"), as: UTF8.self)
        #expect(hook == "\(job[0]) lab.sqlite\n")

        let bad = try lab.run("engine", "schedule", "lab.sqlite", "--at-time", "25:00")
        #expect(bad.exitCode == 64 && bad.stderr.contains("--at-time must be HH:MM"), "\(bad)")
    }

    /// A `v3_step_order_rewritten` with a repeated or empty step exits 6 and writes nothing.
    @Test func rewrittenStepOrderIsValidated() throws {
        let lab = try Self.initialised()
        defer { lab.remove() }
        try #require(
            try lab.run("engine", "assign", "lab.sqlite", "--user", "u1", "--persona", "p", "--at", "2026-11-27T09:00Z")
                .exitCode == 0)
        let before = try Self.query(lab, "SELECT step_order, updated_at FROM onboarding_journey_state")
        for metadata in [#"["a","a"]"#, #"["a",""]"#, "[]"] {
            let r = try lab.run(
                "engine", "event", "lab.sqlite", "--user", "u1", "--event", "v3_step_order_rewritten", "--metadata",
                metadata, "--at", "2026-11-27T09:05Z")
            #expect(r.exitCode == 6, "\(r)")
            #expect(r.stderr.contains("v3_step_order_rewritten"), "\(r)")
        }
        #expect(try Self.query(lab, "SELECT step_order, updated_at FROM onboarding_journey_state") == before)
        #expect(try Self.query(lab, "SELECT COUNT(*) FROM onboarding_events") == ["0"])
    }

    static func iso(_ minute: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(minute * 60)))
    }
}
