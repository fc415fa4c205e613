import Foundation
import GRDB
import LabTestSupport
import OnboardingEngine
import Stochastics
import Testing

@testable import OnboardingPersistence

/// What only the SQLite store has: migrations, triggers, constraints, refusing foreign files.
@Suite("SQLite store")
struct SQLiteStoreTests {
    static func temporaryPath(_ name: String) throws -> String {
        try CLIRunner.makeTemporaryDirectory(prefix: "persistence").appendingPathComponent(name).path
    }

    @Test func freshDatabaseHasTheSchema() throws {
        let path = try Self.temporaryPath("fresh.sqlite")
        _ = try SQLiteStore(path: path, mode: .createOrMigrate)
        let queue = try DatabaseQueue(path: path)
        let tables = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in [
            "engine_settings", "onboarding_flow_patterns", "onboarding_flow_assignments", "onboarding_journey_metrics",
            "onboarding_learning_jobs", "onboarding_personalization", "onboarding_journey_state", "onboarding_events",
            "orchestrator_events", "grdb_migrations",
        ] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let triggers = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        #expect(triggers.contains("update_flow_pattern_timestamp"))
        // Re-opening migrates nothing and keeps the data.
        _ = try SQLiteStore(path: path, mode: .existing)
    }

    /// The win_score trigger reads the weights from engine_settings, on insert and on every update — also for
    /// rows written by another SQL client, which needs no custom function (SPEC §1.2 "open database"): a weight
    /// changed in engine_settings recomputes every pattern, and an outside UPDATE gets the current UTC time.
    @Test func winScoreTriggerReadsTheWeights() throws {
        let path = try Self.temporaryPath("trigger.sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.seedPattern("p", ["a"], rate7: 0.76, rate30: 0.63, avg: 85, n: 40)
        try store.close()
        let queue = try DatabaseQueue(path: path)
        let (seeded, reweighted, score, updated) = try queue.write { db -> (Double, Double, Double, String) in
            let seeded = try Double.fetchOne(db, sql: "SELECT win_score FROM onboarding_flow_patterns") ?? -1
            try db.execute(sql: "UPDATE engine_settings SET value = 1.0 WHERE key = 'weights.activation_7d'")
            try db.execute(
                sql: "UPDATE engine_settings SET value = 0.0 WHERE key IN ('weights.retention_30d', 'weights.speed')")
            let reweighted = try Double.fetchOne(db, sql: "SELECT win_score FROM onboarding_flow_patterns") ?? -1
            try db.execute(sql: "UPDATE onboarding_flow_patterns SET win_rate_7d = 0.5")
            return (
                seeded, reweighted,
                try Double.fetchOne(db, sql: "SELECT win_score FROM onboarding_flow_patterns") ?? -1,
                try String.fetchOne(db, sql: "SELECT updated_at FROM onboarding_flow_patterns") ?? ""
            )
        }
        // The seed's formula: 0.5·0.76 + 0.3·0.63 + 0.2·(1 − 85/1440) = 0.7571944…
        #expect(abs(seeded - (0.5 * 0.76 + 0.3 * 0.63 + 0.2 * (1 - 85.0 / 1440))) < 1e-12)
        #expect(reweighted == 0.76)
        #expect(score == 0.5)
        let minute = try #require(Clock.minute(iso8601: updated), "updated_at is not ISO 8601: \(updated)")
        let wall = Int(Date().timeIntervalSince1970 / 60)
        #expect(abs(minute - wall) <= 2, "an outside UPDATE gets the current UTC time, found \(updated)")
        // A direct write of win_score is recomputed too.
        let overwritten = try queue.write { db -> Double in
            try db.execute(sql: "UPDATE onboarding_flow_patterns SET win_score = 9")
            return try Double.fetchOne(db, sql: "SELECT win_score FROM onboarding_flow_patterns") ?? -1
        }
        #expect(overwritten == 0.5)
    }

    /// Python's sqlite3 module (no custom function) inserts and updates a pattern; the trigger computes the seed's
    /// win score 0.757 for 0.76 / 0.63 / 85 min (SPEC §1.3) and the timestamps are ISO 8601 UTC text.
    @Test func pythonClientInsertsAndUpdatesAPattern() throws {
        let path = try Self.temporaryPath("python.sqlite")
        try SQLiteStore(path: path, mode: .createOrMigrate).close()
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("INSERT INTO onboarding_flow_patterns (persona, flow_id, steps, win_rate_7d, win_rate_30d, avg_time_to_first_win_minutes, sample_size) VALUES ('p', 'p::[a>b]', '[\\"a\\",\\"b\\"]', 0.5, 0.5, NULL, 10)")
            db.commit()
            inserted = db.execute("SELECT win_score FROM onboarding_flow_patterns").fetchone()[0]
            db.execute("UPDATE onboarding_flow_patterns SET win_rate_7d = 0.76, win_rate_30d = 0.63, avg_time_to_first_win_minutes = 85 WHERE flow_id = 'p::[a>b]'")
            db.commit()
            score, created, updated = db.execute("SELECT win_score, created_at, updated_at FROM onboarding_flow_patterns").fetchone()
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            print(f"{inserted:.6f} {score:.6f} {created} {updated} {mode}")
            """
        let result = try CLIRunner.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script, path])
        #expect(result.exitCode == 0, "\(result)")
        let fields = result.stdout.split(separator: " ").map(String.init)
        try #require(fields.count == 5, "\(result)")
        #expect(fields[0] == "0.400000")  // 0.5·0.5 + 0.3·0.5 + 0 (no activated user)
        #expect(fields[1] == "0.757194")  // 0.5·0.76 + 0.3·0.63 + 0.2·(1 − 85/1440)
        #expect(Clock.minute(iso8601: fields[2]) != nil && Clock.minute(iso8601: fields[3]) != nil, "\(result)")
        #expect(fields[4].trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
        // The engine reads what Python wrote.
        let pattern = try #require(try SQLiteStore(path: path, mode: .existing).patterns(persona: "p").first)
        #expect(pattern.steps == ["a", "b"] && abs(pattern.winScore - 0.7571944444) < 1e-9)
    }

    /// Times are ISO 8601 UTC text in a plain select; the engine's own writes keep the engine clock even when two
    /// of them fall in the same minute (the trigger's wall clock is only for outside writers).
    @Test func timesAreISOTextAndTheEngineClockIsKept() throws {
        let path = try Self.temporaryPath("times.sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "b", "win"]])
        let at = try #require(Clock.minute(iso8601: "2026-11-27T09:30:00Z"))
        try engine.initForUser(userId: "u", persona: "p", at: at)
        try engine.handleEvent(userId: "u", eventType: "a", at: at)
        try engine.handleEvent(userId: "u", eventType: "win", at: at)
        try engine.runNightlyLearningJob(now: at + 1440)
        try store.close()
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.assigned_at, a.last_updated, s.updated_at, m.updated_at, m.first_aha_moment_at,
                           (SELECT started_at FROM onboarding_learning_jobs), (SELECT MAX(occurred_at) FROM onboarding_events)
                      FROM onboarding_flow_assignments a JOIN onboarding_journey_state s USING (user_id)
                      JOIN onboarding_journey_metrics m USING (user_id)
                    """)
        }
        let values = (0..<7).map { (rows?[$0] as String?) ?? "NULL" }
        #expect(
            values == Array(repeating: "2026-11-27T09:30:00Z", count: 5) + [
                "2026-11-28T09:30:00Z", "2026-11-27T09:30:00Z",
            ])
        // A time the text form cannot hold is refused with a clear error, and nothing is written.
        let reopened = try SQLiteStore(path: path, mode: .existing)
        let far = try V4Engine(store: reopened, random: RandomStream(seed: 1))
        #expect(throws: EngineError.self) { try far.initForUser(userId: "v", persona: "p", at: Int.max / 2) }
        #expect(try reopened.assignment(userId: "v") == nil)
    }

    /// WAL journal and a busy timeout: a reader holding a read transaction does not make a write fail.
    @Test func readerHoldingATransactionDoesNotBlockTheEngine() throws {
        let path = try Self.temporaryPath("wal.sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a"]])
        #expect(try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") } == 5000)
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true  // the test holds a read transaction across accesses
        let reader = try DatabaseQueue(path: path, configuration: unsafe)
        try reader.inDatabase { db in
            try db.execute(sql: "BEGIN")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_flow_assignments") == 0)
        }
        try engine.initForUser(userId: "u", persona: "p", at: 10)
        try engine.runNightlyLearningJob(now: 1440)
        let stillSeen = try reader.inDatabase { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_flow_assignments")
        }
        #expect(stillSeen == 0, "the reader keeps its snapshot")
        try reader.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(
            try reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_flow_assignments") } == 1
        )
    }

    /// A database of the v1 schema (INTEGER minutes, `engine_now()` triggers) is copied to a backup, then migrated
    /// by `v2-open-database`: every time becomes ISO text, every row reads back the same.
    @Test func v1DatabaseIsMigratedWithABackup() throws {
        let path = try Self.temporaryPath("v1.sqlite")
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            db.add(function: DatabaseFunction("engine_now", argumentCount: 0, pure: false) { _ in 0 })
        }
        let v1 = try DatabaseQueue(path: path, configuration: config)
        try EngineSchema.migrator.migrate(v1, upTo: "v1-engine-schema")
        try v1.write { db in
            try db.execute(
                sql: """
                    INSERT INTO onboarding_flow_patterns (id, persona, flow_id, steps, win_rate_7d, win_rate_30d, sample_size,
                      is_champion, last_champion_at, last_observed_at, created_at, updated_at)
                      VALUES ('x', 'p', 'p::[a]', '["a"]', 0.5, 0.25, 40, 1, 29929530, 29929530, 29929000, 29929530);
                    INSERT INTO onboarding_flow_assignments (id, user_id, persona, flow_id, assigned_at, mode, last_updated)
                      VALUES ('a1', 'u', 'p', 'p::[a]', 29929000, 'exploit', 29929001);
                    INSERT INTO onboarding_personalization VALUES ('u', 'p', 'v0', 'p::[a]');
                    INSERT INTO onboarding_journey_state (user_id, step_order, started_at, updated_at)
                      VALUES ('u', '["a"]', 29929000, 29929000);
                    INSERT INTO onboarding_journey_metrics (user_id, created_at, updated_at) VALUES ('u', 29929000, 29929000);
                    INSERT INTO onboarding_events (user_id, event_type, occurred_at) VALUES ('u', 'a', 29929002);
                    INSERT INTO onboarding_learning_jobs (id, job_type, status, started_at) VALUES ('j', 'nightly_analysis', 'running', 29929530);
                    INSERT INTO orchestrator_events (id, event_type, payload, occurred_at) VALUES ('e', 'x', '{}', 29929530);
                    """)
        }
        try v1.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let store = try SQLiteStore(path: path, mode: .existing)
        let backup = try #require(store.migrationBackupPath)
        #expect(backup == path + ".v1-backup")
        let backedUp = try DatabaseQueue(path: backup).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(backedUp == ["v1-engine-schema"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)).count == before.count)

        let pattern = try #require(try store.patterns(persona: "p").first)
        #expect(pattern.lastChampionAt == 29_929_530 && pattern.createdAt == 29_929_000 && pattern.isChampion)
        #expect(
            abs(pattern.winScore - (0.5 * 0.5 + 0.3 * 0.25)) < 1e-12, "the migration recomputes nothing but keeps it")
        let a = try #require(try store.assignment(userId: "u"))
        #expect(a.assignedAt == 29_929_000 && a.lastUpdated == 29_929_001)
        #expect(try store.jobs().map(\.startedAt) == [29_929_530])
        #expect(try store.orchestratorEvents().map(\.occurredAt) == [29_929_530])
        let text = try store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT assigned_at FROM onboarding_flow_assignments")
        }
        #expect(text == "2026-11-27T00:40:00Z")
        #expect(try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        // Opening again migrates nothing and takes no second backup.
        #expect(try SQLiteStore(path: path, mode: .existing).migrationBackupPath == nil)
        #expect(!FileManager.default.fileExists(atPath: path + ".v1-backup-2"))
    }

    @Test func constraintsAndForeignKeys() throws {
        let store = try SQLiteStore()
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        // A journey row for a user without an assignment violates the foreign key: the event is refused.
        #expect(throws: (any Error).self) {
            try store.appendEvent(userId: "nobody", eventType: "x", at: 1, metadata: nil)
        }
        // Only one champion per persona (partial unique index), whatever the caller does.
        try engine.seedPattern("p", ["a"], rate7: 0.5, n: 40)
        try engine.seedPattern("p", ["b"], rate7: 0.4, n: 40)
        try store.setChampion(
            persona: "p", flowId: "p::[a]", isChampion: true, lastChampionAt: 1, electedWinScore: 0.25, at: 1)
        #expect(throws: (any Error).self) {
            try store.setChampion(
                persona: "p", flowId: "p::[b]", isChampion: true, lastChampionAt: 1, electedWinScore: 0.2, at: 1)
        }
    }

    @Test func refusesForeignFilesWithoutWriting() throws {
        let text = try Self.temporaryPath("notes.txt")
        try Data("hello, not a database".utf8).write(to: URL(fileURLWithPath: text))
        let before = try Data(contentsOf: URL(fileURLWithPath: text))
        #expect {
            try SQLiteStore(path: text, mode: .createOrMigrate)
        } throws: { error in
            guard let e = error as? OnboardingPersistence.PersistenceError, case .notAnEngineDatabase = e else {
                return false
            }
            return true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: text)) == before)

        let foreign = try Self.temporaryPath("foreign.sqlite")
        try DatabaseQueue(path: foreign).write { db in
            try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        }
        let foreignBefore = try Data(contentsOf: URL(fileURLWithPath: foreign))
        #expect(throws: (any Error).self) { try SQLiteStore(path: foreign, mode: .createOrMigrate) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == foreignBefore)

        let newer = try Self.temporaryPath("newer.sqlite")
        _ = try SQLiteStore(path: newer, mode: .createOrMigrate)
        try DatabaseQueue(path: newer).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let newerBefore = try Data(contentsOf: URL(fileURLWithPath: newer))
        #expect {
            try SQLiteStore(path: newer, mode: .existing)
        } throws: { error in
            guard let e = error as? OnboardingPersistence.PersistenceError, case .schemaTooNew(_, let unknown) = e
            else { return false }
            return unknown == ["v9-from-the-future"]
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: newer)) == newerBefore)

        #expect(throws: OnboardingPersistence.PersistenceError.missingDatabase(path: "/nonexistent/x.sqlite")) {
            try SQLiteStore(path: "/nonexistent/x.sqlite", mode: .existing)
        }
    }

    /// A corrupt setting is reported with its key, not a crash.
    @Test func corruptSettingIsATypedError() throws {
        let path = try Self.temporaryPath("corrupt.sqlite")
        _ = try SQLiteStore(path: path, mode: .createOrMigrate)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE engine_settings SET value = 'lots' WHERE key = 'epsilon'")
        }
        #expect {
            try SQLiteStore(path: path, mode: .existing).loadSettings()
        } throws: { error in
            guard let e = error as? OnboardingPersistence.PersistenceError,
                case .corruptRow(let table, let key, _, _) = e
            else { return false }
            return table == "engine_settings" && key == "epsilon"
        }
    }
}
