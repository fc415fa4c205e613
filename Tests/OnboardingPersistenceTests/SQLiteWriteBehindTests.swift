import Experiments
import Foundation
import GRDB
import LabTestSupport
import OnboardingEngine
import Scenarios
import Simulation
import Stochastics
import Testing

@testable import OnboardingPersistence

/// The write-behind buffer of a batch (`WriteBehind`) leaves exactly the database the write-through path leaves,
/// throws the same errors, writes nothing of a batch that throws, and never serves rows another writer changed.
@Suite("SQLite write-behind")
struct SQLiteWriteBehindTests {
    struct Boom: Error {}

    /// Every row of every table, in rowid (or primary key) order, each value with its storage class.
    static func dump(_ store: SQLiteStore) throws -> [String] {
        try store.writer.read { db in
            var lines: [String] = []
            let tables = try Row.fetchAll(
                db,
                sql:
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            for table in tables {
                let name: String = table["name"]
                let sql: String = table["sql"]
                let select =
                    sql.uppercased().contains("WITHOUT ROWID")
                    ? "SELECT * FROM \(name) ORDER BY 1" : "SELECT rowid AS rowid_, * FROM \(name) ORDER BY rowid"
                for row in try Row.fetchAll(db, sql: select) {
                    lines.append(name + ": " + row.databaseValues.map(describe).joined(separator: " | "))
                }
            }
            return lines
        }
    }

    static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let i): return "i\(i)"
        case .double(let d): return "r\(d.bitPattern)"
        case .string(let s): return "t'\(s)'"
        case .blob(let b): return "b\(b.base64EncodedString())"
        }
    }

    static func count(_ store: SQLiteStore, _ sql: String) throws -> Int {
        try store.writer.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    /// A curated scenario at small traffic over 45 days (so outcomes arrive on later days than the signup, and
    /// retention at day 30), simulated on a fresh database file.
    static func simulate(_ scenario: String, writeBehind: Bool, userCacheLimit: Int? = nil) throws -> (
        ReplicateResult, SQLiteStore
    ) {
        let loaded = try ScenarioLoader.load(path: Repo.scenario(scenario))
        let base = loaded.traffic.schedule.first?.perDay ?? 1
        let plan = try ExperimentPlan(scenario: loaded, sweep: false, replicates: 1, scale: 40 / base)
        var config = plan.configurations[0].simulation
        config.world.horizonDays = 45
        let path = try SQLiteStoreTests.temporaryPath("\(scenario)-\(writeBehind).sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate, durability: .simulation)
        store.writeBehindEnabled = writeBehind
        if let userCacheLimit { store.userCacheLimit = userCacheLimit }
        let result = try ReplicateRunner(config: config, replicate: 0, store: store).run()
        return (result, store)
    }

    /// Every table after a simulation with write-behind equals the write-through run's, row by row and value by
    /// value (rowids, event ids, timestamps, `engine_writes`, JSON text, completion rates); so do the results.
    /// seed-narrative has v3 deviations (step order rewrites); cron-failures rolls back nightly savepoints inside
    /// the day's batch.
    @Test(arguments: ["seed-narrative.yaml", "cron-failures.yaml"])
    func simulationWritesTheSameDatabase(scenario: String) throws {
        let (buffered, bufferedStore) = try Self.simulate(scenario, writeBehind: true)
        let (direct, directStore) = try Self.simulate(scenario, writeBehind: false)
        #expect(buffered == direct)
        let a = try Self.dump(bufferedStore)
        let b = try Self.dump(directStore)
        #expect(a.count == b.count)
        let firstDifference = zip(a, b).first { $0 != $1 }
        #expect(firstDifference == nil, "first differing row: \(String(describing: firstDifference))")
        #expect(a == b)
        // The run exercised what the buffer does: users changed on a later day than their signup, outcomes,
        // completed steps, rewritten step orders (seed-narrative), failed nights (cron-failures).
        #expect(try Self.count(bufferedStore, "SELECT COUNT(*) FROM onboarding_flow_assignments") > 1000)
        #expect(try Self.count(bufferedStore, "SELECT COUNT(*) FROM onboarding_journey_metrics WHERE retained_30d") > 0)
        #expect(
            try Self.count(
                bufferedStore,
                "SELECT COUNT(*) FROM onboarding_journey_metrics WHERE completion_rate > 0 AND engine_writes > 2"
            ) > 0)
        if scenario == "seed-narrative.yaml" {
            #expect(
                try Self.count(
                    bufferedStore,
                    "SELECT COUNT(*) FROM onboarding_events WHERE event_type = '\(stepOrderRewrittenEvent)'"
                ) > 0)
        } else {
            #expect(
                try Self.count(bufferedStore, "SELECT COUNT(*) FROM onboarding_learning_jobs WHERE status = 'failed'")
                    > 0)
        }
        // The comparison sees a single counter.
        try directStore.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE onboarding_journey_metrics SET engine_writes = engine_writes + 1
                     WHERE user_id = (SELECT user_id FROM onboarding_journey_metrics ORDER BY user_id DESC LIMIT 1)
                    """)
        }
        #expect(try Self.dump(directStore) != a)
    }

    /// A cache that outgrows its limit drops the older half of its users (by assignment time) and stays
    /// consistent: the run with a limit of 300 users (evicting every few days) writes the database and the results
    /// of the write-through run, and sums the window from memory only while the cache still holds all of it.
    @Test func evictingTheOlderHalfOfTheCacheChangesNothing() throws {
        let (evicting, evictingStore) = try Self.simulate("seed-narrative.yaml", writeBehind: true, userCacheLimit: 300)
        let (direct, directStore) = try Self.simulate("seed-narrative.yaml", writeBehind: false)
        #expect(evicting == direct)
        let a = try Self.dump(evictingStore)
        let b = try Self.dump(directStore)
        #expect(zip(a, b).first { $0 != $1 } == nil)
        #expect(a == b)
        // It did evict: the cache holds at most the limit plus a day's signups, of a run of over a thousand users.
        #expect(evictingStore.writeBehind.users.count <= 300 + 100)
        #expect(try Self.count(evictingStore, "SELECT COUNT(*) FROM onboarding_flow_assignments") > 1000)
        // Every stored user assigned after the cache's completeness mark (raised to the eviction's cutoff) is cached,
        // and each cached user is found by its id.
        let kept = evictingStore.writeBehind.users.entries
        let complete = try #require(evictingStore.writeBehind.completeAfter)
        #expect(complete > 0, "an eviction raised the mark from the empty table's")
        let storedAfter = try Self.count(
            evictingStore,
            "SELECT COUNT(*) FROM onboarding_flow_assignments WHERE assigned_at > '\(try SQLTime.text(complete))'")
        #expect(storedAfter > 0)
        #expect(storedAfter == kept.filter { $0.assignedAt > complete }.count)
        #expect(kept.allSatisfy { evictingStore.writeBehind.rowids[$0.userId] == $0.rowid })
        // What the window sums of each user is in step with its row, after adds, changes and evictions.
        let windowEntries = evictingStore.writeBehind.users.windowEntries
        #expect(windowEntries.count == kept.count)
        #expect(zip(kept, windowEntries).allSatisfy { WindowEntry($0) == $1 })
        #expect(windowEntries.contains { $0.activated7d } && windowEntries.contains { $0.retained30d })
        #expect(evictingStore.writeBehind.rowids.count == kept.count)
    }

    /// The flush's statements are prepared once and never compiled again over a whole simulation: the reads
    /// between the days (outside a batch) must not expire them, as GRDB's `read` did with its `PRAGMA query_only`
    /// (a flag pragma expires every statement of the connection; recompiling them was 18% of a SQLite run).
    @Test func flushStatementsAreCompiledOnce() throws {
        let (_, store) = try Self.simulate("seed-narrative.yaml", writeBehind: true)
        let compiled = store.flushStatementCompilations
        #expect(compiled.statements >= 7, "the flush's INSERT and UPDATE statements were prepared")
        #expect(compiled.recompilations == 0)
        // The counter does count: a flag pragma expires the statements, and each recompiles at its next step.
        try store.writer.read { _ in }
        try store.batch {
            // 12 new users: one 10-row INSERT per user table (a shape every day of the simulation used) and 1-row ones.
            for n in 0..<12 {
                _ = try store.insertAssignment(
                    Assignment(
                        id: "probe-assignment-\(n)", userId: "probe-user-\(n)", persona: "probe", flowId: "probe-flow",
                        assignedAt: 100 * Clock.minutesPerDay, mode: .explore, lastUpdated: 100 * Clock.minutesPerDay),
                    variant: "control", steps: ["a"])
            }
        }
        #expect(store.flushStatementCompilations.recompilations > 0)
    }

    /// One script of operations, in batches, with the edge cases: a step SQLite escapes, a repeated step, a
    /// rewrite, repeated outcomes, duplicates (buffered and stored), unknown users, a failed batch. Both paths
    /// leave the same database and throw the same errors.
    @Test func operationsAndErrorsMatchTheWriteThroughPath() throws {
        func run(writeBehind: Bool) throws -> ([String], [String]) {
            let store = try SQLiteStore()
            store.writeBehindEnabled = writeBehind
            let engine = try V4Engine(store: store, random: RandomStream(seed: 3))
            try engine.addPersona("p", activationEvent: "win", defaults: [["a", "say \"hi\"", "win"], ["b", "win"]])
            var errors: [String] = []
            func attempt(_ body: () throws -> Void) {
                do { try body() } catch { errors.append("\(error)") }
            }
            for day in 0..<3 {
                let t = day * Clock.minutesPerDay
                try store.batch {
                    for i in 0..<20 {
                        let id = "u\(day * 20 + i)"
                        let (assigned, user) = try engine.assignUser(userId: id, persona: "p", at: t + i)
                        for (k, step) in assigned.steps.enumerated() where k < 2 {
                            try engine.handleEvent(user: user, eventType: step, at: t + i + k + 1)
                            try engine.handleEvent(user: user, eventType: step, at: t + i + k + 2)
                        }
                        if i % 3 == 0 {
                            try engine.handleEvent(
                                user: user, eventType: stepOrderRewrittenEvent, at: t + i + 5,
                                metadata: JSONValue.stringArray(["b", "a", "win"]))
                            try engine.handleEvent(user: user, eventType: "b", at: t + i + 6)
                        }
                        if i % 2 == 0 { try engine.handleEvent(user: user, eventType: "win", at: t + i + 7) }
                        attempt { _ = try engine.assignUser(userId: id, persona: "p", at: t + i + 8) }
                    }
                    // Users of earlier days: outcomes, events, a duplicate, unknown users.
                    if day > 0 {
                        for i in 0..<20 {
                            let id = "u\((day - 1) * 20 + i)"
                            try engine.recordOutcome(userId: id, outcome: .retained30d, at: t + 100 + i)
                            try engine.recordOutcome(userId: id, outcome: .retained30d, at: t + 101 + i)
                            try engine.handleEvent(userId: id, eventType: "win", at: t + 102 + i)
                            try engine.handleEvent(userId: id, eventType: "say \"hi\"", at: t + 103 + i)
                        }
                        attempt { _ = try engine.assignUser(userId: "u0", persona: "p", at: t + 200) }
                    }
                    attempt { try engine.handleEvent(userId: "nobody", eventType: "a", at: t + 300) }
                    attempt { try engine.recordOutcome(userId: "nobody", outcome: .upgraded, at: t + 300) }
                    attempt { try store.applyOutcome(UserHandle(9999), update: OutcomeUpdate(), at: t + 300) }
                    attempt { try store.markStepCompleted(UserHandle(9999), step: "a", at: t + 300) }
                    attempt { try engine.handleEvent(userId: "u1", eventType: "a", at: -5) }
                    try engine.runNightlyLearningJob(now: t + Clock.minutesPerDay)
                }
                // A batch that throws leaves nothing; its handles are handed out again.
                attempt {
                    try store.batch {
                        let (_, user) = try engine.assignUser(userId: "ghost\(day)", persona: "p", at: t + 400)
                        try engine.handleEvent(user: user, eventType: "a", at: t + 401)
                        try engine.recordOutcome(userId: "u0", outcome: .upgraded, at: t + 402)
                        throw Boom()
                    }
                }
            }
            return (try Self.dump(store), errors)
        }
        let buffered = try run(writeBehind: true)
        let direct = try run(writeBehind: false)
        #expect(buffered.1 == direct.1)
        #expect(buffered.1.count == 3 * 20 + 2 + 3 * 5 + 3)
        #expect(buffered.0 == direct.0)
        #expect(!buffered.0.contains { $0.contains("ghost") })
        #expect(buffered.0.contains { $0.contains("say \\\"hi\\\"") })
    }

    /// A batch that throws writes nothing and drops what it buffered and cached: the rolled-back outcome is not
    /// served afterwards, and the user id and handle are free again.
    @Test func aBatchThatThrowsWritesNothing() throws {
        let store = try SQLiteStore()
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        try store.batch { _ = try engine.assignUser(userId: "u0", persona: "p", at: 0) }
        let before = try Self.dump(store)
        var failedHandle: UserHandle?
        #expect(throws: Boom.self) {
            try store.batch {
                failedHandle = try engine.assignUser(userId: "u1", persona: "p", at: 10).user
                try engine.recordOutcome(userId: "u0", outcome: .retained30d, at: 11)
                let retained = try store.assignment(userId: "u0")?.retained30d
                #expect(retained == true)
                throw Boom()
            }
        }
        #expect(try Self.dump(store) == before)
        let (retained, handle, reused) = try store.batch {
            (
                try store.assignment(userId: "u0")?.retained30d, try store.handle(of: "u1"),
                try engine.assignUser(userId: "u1", persona: "p", at: 20).user
            )
        }
        #expect(retained == false)
        #expect(handle == nil)
        #expect(reused == failedHandle)
        #expect(try store.assignment(userId: "u1")?.assignedAt == 20)
    }

    /// The rows cached between batches are dropped when this connection writes outside a batch, or another
    /// connection commits.
    @Test func cacheIsDroppedWhenTheDatabaseChangesBetweenBatches() throws {
        let path = try SQLiteStoreTests.temporaryPath("cache.sqlite")
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        try store.batch { _ = try engine.assignUser(userId: "u0", persona: "p", at: 0) }
        try engine.recordOutcome(userId: "u0", outcome: .retained30d, at: 5)
        #expect(try store.batch { try store.assignment(userId: "u0")?.retained30d } == true)
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "UPDATE onboarding_flow_assignments SET upgraded = 1 WHERE user_id = 'u0'")
        }
        #expect(try store.batch { try store.assignment(userId: "u0")?.upgraded } == true)
        #expect(throws: EngineError.duplicateUser("u0")) {
            try store.batch { _ = try engine.assignUser(userId: "u0", persona: "p", at: 9) }
        }
        try other.close()
    }
}
