import Foundation
import GRDB
import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Stochastics
import Testing

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
    /// rows written by another SQL client (through a connection that defines engine_now()).
    @Test func winScoreTriggerReadsTheWeights() throws {
        let path = try Self.temporaryPath("trigger.sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.seedPattern("p", ["a"], rate7: 0.76, rate30: 0.63, avg: 85, n: 40)
        try store.close()
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(function: DatabaseFunction("engine_now", argumentCount: 0, pure: false) { _ in 999 })
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        let score = try queue.write { db -> Double in
            try db.execute(sql: "UPDATE engine_settings SET value = 1.0 WHERE key = 'weights.activation_7d'")
            try db.execute(
                sql: "UPDATE engine_settings SET value = 0.0 WHERE key IN ('weights.retention_30d', 'weights.speed')")
            try db.execute(sql: "UPDATE onboarding_flow_patterns SET win_rate_7d = 0.5")
            return try Double.fetchOne(db, sql: "SELECT win_score FROM onboarding_flow_patterns") ?? -1
        }
        #expect(score == 0.5)
        let updated = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT updated_at FROM onboarding_flow_patterns")
        }
        #expect(updated == 999)
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
