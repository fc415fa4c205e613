import Foundation
import GRDB
import OnboardingEngine
import Synchronization

/// The engine's record of truth: every table of SPEC §1.2 in one SQLite file, through GRDB.
///
/// Like GRDB's `AppDatabase` demo, one façade owns the writer and a private migrator. Writes outside a
/// ``batch(_:)`` are one transaction each; inside a batch (the simulator's day) they join the batch's
/// transaction, and ``transaction(_:)`` becomes a savepoint, so a failed nightly job still leaves no partial
/// pattern update. Triggers maintain `win_score` and the timestamps, reading the engine clock through the SQL
/// function `engine_now()`, which is the `at` of the operation being written.
public final class SQLiteStore: EngineStore {
    public enum OpenMode: Sendable {
        /// Create the file when missing; migrate an engine database to the current schema.
        case createOrMigrate
        /// The file must exist and be an engine database (older schemas are migrated).
        case existing
        /// The file must exist and be an engine database at the current schema; nothing is ever written
        /// (`inspect`, the dashboard's read side).
        case readOnly
    }

    /// How long a write waits for another connection's lock before failing.
    public static let busyTimeout: Double = 5

    /// How hard SQLite works to survive a crash.
    public enum Durability: Sendable {
        /// SQLite's defaults (rollback journal, full sync): for databases an engine runs on.
        case durable
        /// `synchronous = OFF`, in-memory rollback journal: for simulation databases, which are reproducible
        /// from their scenario and seed. Savepoints and rollbacks still work.
        case simulation
    }

    public let path: String
    let writer: DatabaseQueue
    let clock: EngineClock
    private var current: Database?
    private var stepsCache: [String: [String]] = [:]

    /// Opens (or creates) the engine database at `path`. Throws ``PersistenceError`` for a missing file (in
    /// `.existing` mode), a file that is not an engine database, or a schema newer than this binary; in those
    /// cases nothing is written.
    public init(path: String, mode: OpenMode, durability: Durability = .durable) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && mode != .createOrMigrate { throw PersistenceError.missingDatabase(path: path) }
        let clock = EngineClock()
        self.clock = clock
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "onboarding-engine"
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            db.add(function: DatabaseFunction("engine_now", argumentCount: 0, pure: false) { _ in clock.now })
        }
        if exists {
            // Inspect read-only first, so that a foreign file is never touched.
            var readOnly = configuration
            readOnly.readonly = true
            do {
                let probe = try DatabaseQueue(path: path, configuration: readOnly)
                try probe.read { db in try Self.vet(db, path: path, mode: mode) }
                try probe.close()
            } catch let error as PersistenceError {
                throw error
            } catch let error as DatabaseError {
                switch error.resultCode {
                case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FORMAT:
                    throw PersistenceError.notAnEngineDatabase(
                        path: path, reason: error.message ?? "\(error.resultCode)")
                default:
                    throw PersistenceError.unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
                }
            }
        }
        if mode == .readOnly {
            configuration.readonly = true
            writer = try DatabaseQueue(path: path, configuration: configuration)
            let migrated = try writer.read { db in try EngineSchema.migrator.hasCompletedMigrations(db) }
            guard migrated else { throw PersistenceError.needsMigration(path: path) }
            return
        }
        if durability == .simulation {
            configuration.prepareDatabase { db in
                try db.execute(
                    sql:
                        "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY"
                )
            }
        }
        writer = try DatabaseQueue(path: path, configuration: configuration)
        try EngineSchema.migrator.migrate(writer)
        try writer.write { db in try Self.writeDefaultSettingsIfMissing(db) }
    }

    /// A fresh engine database in memory (tests, benchmarks).
    public init() throws {
        path = ":memory:"
        let clock = EngineClock()
        self.clock = clock
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            db.add(function: DatabaseFunction("engine_now", argumentCount: 0, pure: false) { _ in clock.now })
        }
        writer = try DatabaseQueue(configuration: configuration)
        try EngineSchema.migrator.migrate(writer)
        try writer.write { db in try Self.writeDefaultSettingsIfMissing(db) }
    }

    /// Refuses files that are not engine databases, or are newer than this binary.
    static func vet(_ db: Database, path: String, mode: OpenMode) throws {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        if tables.isEmpty {
            if mode != .createOrMigrate {
                throw PersistenceError.notAnEngineDatabase(
                    path: path, reason: "the database is empty (run `onboarding-lab engine init \(path)`)")
            }
            return
        }
        guard tables.contains("grdb_migrations") else {
            throw PersistenceError.notAnEngineDatabase(
                path: path,
                reason: "it has tables (\(tables.sorted().prefix(5).joined(separator: ", "))) but no engine migrations")
        }
        let known = Set(EngineSchema.migrator.migrations)
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw PersistenceError.schemaTooNew(path: path, unknownMigrations: unknown) }
        if applied.contains("v1-engine-schema") {
            let missing = EngineSchema.tables.filter { !tables.contains($0) }
            if !missing.isEmpty {
                throw PersistenceError.notAnEngineDatabase(
                    path: path, reason: "tables missing: \(missing.joined(separator: ", "))")
            }
        }
    }

    static func writeDefaultSettingsIfMissing(_ db: Database) throws {
        for (key, value) in EngineSettings().keyValues {
            try db.execute(
                sql: "INSERT OR IGNORE INTO engine_settings (key, value) VALUES (?, ?)",
                arguments: [key, value.databaseValue])
        }
    }

    // MARK: Write plumbing

    /// Runs `body` in the current batch transaction, or in a transaction of its own.
    func write<T>(at: Minute? = nil, _ body: (Database) throws -> T) throws -> T {
        if let at { clock.now = at }
        if let db = current { return try body(db) }
        return try writer.write { db in
            current = db
            defer { current = nil }
            return try body(db)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current { return try body(db) }
        return try writer.read(body)
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if let db = current {
            var result: T?
            try db.inSavepoint {
                result = try body()
                return .commit
            }
            guard let result else { throw EngineError.store("savepoint ended without a result") }
            return result
        }
        return try writer.write { db in
            current = db
            defer { current = nil }
            return try body()
        }
    }

    public func batch<T>(_ body: () throws -> T) throws -> T { try transaction(body) }

    public func atomically<T>(_ body: () throws -> T) throws -> T {
        current == nil ? try transaction(body) : try body()
    }

    public func compact(now: Minute, settings: EngineSettings) throws {}

    /// Closes the database; further calls fail.
    public func close() throws { try writer.close() }

    // MARK: Settings and personas

    public func loadSettings() throws -> EngineSettings {
        try read { db in
            var settings = EngineSettings()
            for row in try Row.fetchAll(
                db, sql: "SELECT key, value FROM engine_settings WHERE key NOT LIKE 'persona.%' ORDER BY key")
            {
                let key: String = try row.decode(forColumn: "key")
                guard EngineSettings.keys.contains(key) else { continue }
                let value: DatabaseValue = row["value"]
                let text: String
                switch value.storage {
                case .int64(let i): text = String(i)
                case .double(let d): text = "\(d)"
                case .string(let s): text = s
                case .null, .blob:
                    throw PersistenceError.corruptRow(
                        table: "engine_settings", key: key, column: "value", reason: "expected a value, found \(value)")
                }
                do { try settings.set(key, text: text) } catch {
                    throw PersistenceError.corruptRow(
                        table: "engine_settings", key: key, column: "value", reason: "\(error)")
                }
            }
            return settings
        }
    }

    public func saveSettings(_ settings: EngineSettings, at: Minute) throws {
        try write(at: at) { db in
            for (key, value) in settings.keyValues {
                try db.execute(
                    sql:
                        "INSERT INTO engine_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value.databaseValue])
            }
            // Touch every pattern: the trigger recomputes win_score with the new weights.
            try db.execute(sql: "UPDATE onboarding_flow_patterns SET win_rate_7d = win_rate_7d")
        }
    }

    public func personaConfigs() throws -> [PersonaConfig] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM engine_settings WHERE key LIKE 'persona.%' ORDER BY key")
                .map { row in
                    let key: String = try row.decode(forColumn: "key")
                    guard let text: String = try? row.decode(forColumn: "value"), let data = text.data(using: .utf8),
                        let config = try? JSONDecoder().decode(PersonaConfig.self, from: data)
                    else {
                        throw PersistenceError.corruptRow(
                            table: "engine_settings", key: key, column: "value",
                            reason: "not a persona configuration (JSON)")
                    }
                    return config
                }
        }
    }

    public func savePersonaConfig(_ config: PersonaConfig) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(config), as: UTF8.self)
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO engine_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: ["persona." + config.persona, text])
        }
    }

    /// Policy states live in `engine_settings` under `policy_state.<persona>` as JSON (keys sorted), beside the
    /// persona configurations; `loadSettings` ignores keys it does not know.
    public func personaPolicyStates() throws -> [PersonaPolicyState] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT key, value FROM engine_settings WHERE key LIKE 'policy\\_state.%' ESCAPE '\\' ORDER BY key"
            )
            .map { row in
                let key: String = try row.decode(forColumn: "key")
                guard let text: String = try? row.decode(forColumn: "value"), let data = text.data(using: .utf8),
                    let state = try? JSONDecoder().decode(PersonaPolicyState.self, from: data)
                else {
                    throw PersistenceError.corruptRow(
                        table: "engine_settings", key: key, column: "value", reason: "not a persona policy state (JSON)"
                    )
                }
                return state
            }
        }
    }

    public func savePersonaPolicyState(_ state: PersonaPolicyState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(state), as: UTF8.self)
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO engine_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: ["policy_state." + state.persona, text])
        }
    }

    // MARK: Patterns

    public func patterns(persona: String?) throws -> [FlowPattern] {
        try read { db in
            let rows: [Row]
            if let persona {
                rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: "SELECT * FROM onboarding_flow_patterns WHERE persona = ? ORDER BY persona, flow_id"),
                    arguments: [persona])
            } else {
                rows = try Row.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM onboarding_flow_patterns ORDER BY persona, flow_id"))
            }
            return try rows.map(FlowPatternRecord.pattern(from:))
        }
    }

    public func upsertPattern(_ stats: FlowStats, observedAt: Minute?, at: Minute) throws -> FlowPattern {
        try write(at: at) { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO onboarding_flow_patterns
                      (id, persona, flow_id, steps, win_rate_7d, win_rate_30d, avg_time_to_first_win_minutes, sample_size,
                       exploration_priority, suggested_variant, last_observed_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (persona, flow_id) DO UPDATE SET
                      steps = excluded.steps, win_rate_7d = excluded.win_rate_7d, win_rate_30d = excluded.win_rate_30d,
                      avg_time_to_first_win_minutes = excluded.avg_time_to_first_win_minutes, sample_size = excluded.sample_size,
                      exploration_priority = excluded.exploration_priority, suggested_variant = excluded.suggested_variant,
                      last_observed_at = COALESCE(excluded.last_observed_at, last_observed_at)
                    """
            ).execute(arguments: [
                FlowID.stableUUID("pattern:" + stats.flowId), stats.persona, stats.flowId,
                JSONValue.stringArray(stats.steps),
                stats.winRate7d, stats.winRate30d, stats.avgTimeToFirstWinMinutes, stats.sampleSize,
                stats.explorationPriority, stats.suggestedVariant, observedAt, at, at,
            ])
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM onboarding_flow_patterns WHERE persona = ? AND flow_id = ?"),
                    arguments: [stats.persona, stats.flowId])
            else { throw EngineError.store("pattern \(stats.flowId) vanished after upsert") }
            return try FlowPatternRecord.pattern(from: row)
        }
    }

    public func setChampion(
        persona: String, flowId: String, isChampion: Bool, lastChampionAt: Minute?, electedWinScore: Double?, at: Minute
    ) throws {
        try write(at: at) { db in
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_flow_patterns SET is_champion = ?, last_champion_at = ?, elected_win_score = ?
                     WHERE persona = ? AND flow_id = ?
                    """
            ).execute(arguments: [isChampion, lastChampionAt, electedWinScore, persona, flowId])
            if db.changesCount == 0 { throw EngineError.store("no pattern \(flowId) for persona \(persona)") }
        }
    }

    // MARK: Users

    public func insertAssignment(_ a: Assignment, variant: String, steps: [String]) throws {
        try write(at: a.assignedAt) { db in
            do {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO onboarding_flow_assignments (id, user_id, persona, flow_id, assigned_at, mode, last_updated)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    a.id, a.userId, a.persona, a.flowId, a.assignedAt, a.mode.rawValue, a.lastUpdated,
                ])
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            {
                throw EngineError.duplicateUser(a.userId)
            }
            try db.cachedStatement(
                sql:
                    "INSERT INTO onboarding_personalization (user_id, persona, chosen_variant, flow_id) VALUES (?, ?, ?, ?)"
            )
            .execute(arguments: [a.userId, a.persona, variant, a.flowId])
            try db.cachedStatement(
                sql:
                    "INSERT INTO onboarding_journey_state (user_id, step_order, started_at, updated_at) VALUES (?, ?, ?, ?)"
            )
            .execute(arguments: [a.userId, JSONValue.stringArray(steps), a.assignedAt, a.assignedAt])
            try db.cachedStatement(
                sql: "INSERT INTO onboarding_journey_metrics (user_id, created_at, updated_at) VALUES (?, ?, ?)"
            )
            .execute(arguments: [a.userId, a.assignedAt, a.assignedAt])
        }
    }

    public func assignment(userId: String) throws -> Assignment? {
        try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(AssignmentRecord.selection) FROM onboarding_flow_assignments WHERE user_id = ?"),
                arguments: [userId]
            )
            .map(AssignmentRecord.assignment(from:))
        }
    }

    public func journeyContext(userId: String) throws -> JourneyContext? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT a.persona, s.step_order, a.assigned_at FROM onboarding_flow_assignments a
                              JOIN onboarding_journey_state s ON s.user_id = a.user_id WHERE a.user_id = ?
                            """), arguments: [userId])
            else { return nil }
            return JourneyContext(
                persona: try row.decode(atIndex: 0),
                steps: try steps(row, index: 1, table: "onboarding_journey_state", key: userId),
                assignedAt: try row.decode(atIndex: 2))
        }
    }

    public func journeyMetrics(userId: String) throws -> JourneyMetrics? {
        try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(MetricsRecord.selection) FROM onboarding_journey_metrics WHERE user_id = ?"),
                arguments: [userId]
            )
            .map(MetricsRecord.metrics(from:))
        }
    }

    public func applyOutcome(userId: String, update: OutcomeUpdate, at: Minute) throws {
        try write(at: at) { db in
            if update.setActivated7d || update.setRetained30d || update.setUpgraded {
                try db.cachedStatement(
                    sql: """
                        UPDATE onboarding_flow_assignments
                           SET activated_7d = (activated_7d OR ?), retained_30d = (retained_30d OR ?), upgraded = (upgraded OR ?),
                               last_updated = ?
                         WHERE user_id = ?
                        """
                ).execute(arguments: [update.setActivated7d, update.setRetained30d, update.setUpgraded, at, userId])
                if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
            }
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_metrics
                       SET activated_7d = (activated_7d OR ?), retained_30d = (retained_30d OR ?), upgraded = (upgraded OR ?),
                           time_to_first_win_minutes = COALESCE(time_to_first_win_minutes, ?),
                           first_aha_moment_at = COALESCE(first_aha_moment_at, ?),
                           activation_event = COALESCE(activation_event, ?), updated_at = ?
                     WHERE user_id = ?
                    """
            ).execute(arguments: [
                update.setActivated7d, update.setRetained30d, update.setUpgraded,
                update.firstWin?.minutes, update.firstWin?.at, update.firstWin?.event, at, userId,
            ])
            if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
        }
    }

    public func appendEvent(userId: String, eventType: String, at: Minute, metadata: String?) throws {
        try write(at: at) { db in
            do {
                try db.cachedStatement(
                    sql:
                        "INSERT INTO onboarding_events (user_id, event_type, occurred_at, metadata) VALUES (?, ?, ?, ?)"
                )
                .execute(arguments: [userId, eventType, at, metadata])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                throw EngineError.unknownUser(userId)
            }
        }
    }

    public func markStepCompleted(userId: String, step: String, at: Minute) throws {
        try write(at: at) { db in
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_state SET completed_steps = json_insert(completed_steps, '$[#]', ?2), updated_at = ?3
                     WHERE user_id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(completed_steps) WHERE value = ?2)
                    """
            ).execute(arguments: [userId, step, at])
            guard db.changesCount > 0 else { return }
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_metrics SET completion_rate =
                      (SELECT CAST(json_array_length(completed_steps) AS REAL) / json_array_length(step_order)
                         FROM onboarding_journey_state WHERE user_id = ?1), updated_at = ?2
                     WHERE user_id = ?1
                    """
            ).execute(arguments: [userId, at])
        }
    }

    public func rewriteStepOrder(userId: String, steps: [String], at: Minute) throws {
        try write(at: at) { db in
            try db.cachedStatement(
                sql:
                    "UPDATE onboarding_journey_state SET step_order = ?, completed_steps = '[]', updated_at = ? WHERE user_id = ?"
            )
            .execute(arguments: [JSONValue.stringArray(steps), at, userId])
            if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
            try db.cachedStatement(
                sql: "UPDATE onboarding_journey_metrics SET completion_rate = 0, updated_at = ? WHERE user_id = ?"
            ).execute(arguments: [at, userId])
        }
    }

    public func recentJourneys(since: Minute) throws -> [Journey] {
        try read { db in
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT a.user_id, a.persona, s.step_order, a.assigned_at, a.activated_7d, a.retained_30d,
                               m.time_to_first_win_minutes, p.chosen_variant
                          FROM onboarding_flow_assignments a
                          JOIN onboarding_journey_state s ON s.user_id = a.user_id
                          JOIN onboarding_personalization p ON p.user_id = a.user_id
                          LEFT JOIN onboarding_journey_metrics m ON m.user_id = a.user_id
                         WHERE a.assigned_at > ?
                         ORDER BY a.assigned_at, a.user_id
                        """), arguments: [since])
            var result: [Journey] = []
            while let row = try cursor.next() {
                let userId: String = try row.decode(atIndex: 0)
                result.append(
                    Journey(
                        userId: userId, persona: try row.decode(atIndex: 1),
                        steps: try steps(row, index: 2, table: "onboarding_journey_state", key: userId),
                        assignedAt: try row.decode(atIndex: 3), activated7d: try row.decode(atIndex: 4),
                        retained30d: try row.decode(atIndex: 5), timeToFirstWinMinutes: try row.decode(atIndex: 6),
                        variant: try row.decode(atIndex: 7)))
            }
            return result
        }
    }

    /// The window's totals by GROUP BY (the seed's `get_recent_onboarding_journeys` + aggregation in SQL): integer
    /// sums only, so the result is exactly what aggregating the journeys in Swift gives.
    public func windowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]? {
        try read { db in
            let mature7 = now - 7 * Clock.minutesPerDay
            let mature30 = now - 30 * Clock.minutesPerDay
            // One pass, grouped down to the variant; the groups are folded per (persona, steps) in Swift.
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.persona, s.step_order, p.chosen_variant, COUNT(*),
                               SUM(a.assigned_at < :m7), SUM(a.assigned_at < :m30),
                               SUM(a.activated_7d), SUM(a.activated_7d AND a.assigned_at < :m7),
                               SUM(a.retained_30d), SUM(a.retained_30d AND a.assigned_at < :m30),
                               TOTAL(CASE WHEN a.activated_7d THEN m.time_to_first_win_minutes END),
                               SUM(a.activated_7d AND m.time_to_first_win_minutes IS NOT NULL)
                          FROM onboarding_flow_assignments a
                          JOIN onboarding_journey_state s ON s.user_id = a.user_id
                          JOIN onboarding_personalization p ON p.user_id = a.user_id
                          LEFT JOIN onboarding_journey_metrics m ON m.user_id = a.user_id
                         WHERE a.assigned_at > :since
                         GROUP BY a.persona, s.step_order, p.chosen_variant
                        """), arguments: ["m7": mature7, "m30": mature30, "since": since])
            var groups: [String: FlowWindowTotals] = [:]
            for row in rows {
                let persona: String = try row.decode(atIndex: 0)
                let stepsText: String = try row.decode(atIndex: 1)
                let variant: String = try row.decode(atIndex: 2)
                let key = persona + "\u{0}" + stepsText
                if groups[key] == nil {
                    guard let steps = JSONValue.parseStringArray(stepsText) else {
                        throw PersistenceError.corruptRow(
                            table: "onboarding_journey_state", key: persona, column: "step_order",
                            reason: "not a JSON array of step ids: \(stepsText)")
                    }
                    groups[key] = FlowWindowTotals(persona: persona, steps: steps, totals: FlowAccumulator<String>())
                }
                let count: Int = try row.decode(atIndex: 3)
                let timeSum: Double = try row.decode(atIndex: 10)
                let add: [Int] = [
                    try row.decode(atIndex: 4), try row.decode(atIndex: 5), try row.decode(atIndex: 6),
                    try row.decode(atIndex: 7),
                    try row.decode(atIndex: 8), try row.decode(atIndex: 9), try row.decode(atIndex: 11),
                ]
                groups[key]?.totals.count += count
                groups[key]?.totals.mature7 += add[0]
                groups[key]?.totals.mature30 += add[1]
                groups[key]?.totals.activated += add[2]
                groups[key]?.totals.activatedMature += add[3]
                groups[key]?.totals.retained += add[4]
                groups[key]?.totals.retainedMature += add[5]
                groups[key]?.totals.timeSum += Int(timeSum)
                groups[key]?.totals.timeCount += add[6]
                groups[key]?.totals.variants[variant, default: 0] += count
            }
            return Array(groups.values)
        }
    }

    public func activationTrend(days: ClosedRange<Int>) throws -> [TrendPoint] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT (assigned_at - (((assigned_at % 1440) + 1440) % 1440)) / 1440 AS day, COUNT(*) AS total,
                               SUM(activated_7d) AS activated
                          FROM onboarding_flow_assignments
                         WHERE assigned_at >= ? AND assigned_at < ?
                         GROUP BY day ORDER BY day
                        """),
                arguments: [days.lowerBound * Clock.minutesPerDay, (days.upperBound + 1) * Clock.minutesPerDay]
            ).map { row in
                TrendPoint(
                    day: try row.decode(forColumn: "day"), total: try row.decode(forColumn: "total"),
                    activated: try row.decode(forColumn: "activated"))
            }
        }
    }

    /// Parses a JSON step array, memoised by its text (a window holds few distinct sequences).
    private func steps(_ row: Row, index: Int, table: String, key: String) throws -> [String] {
        let text: String = try row.decode(atIndex: index)
        if let cached = stepsCache[text] { return cached }
        guard let steps = JSONValue.parseStringArray(text) else {
            throw PersistenceError.corruptRow(
                table: table, key: key, column: "steps", reason: "not a JSON array of step ids: \(text)")
        }
        stepsCache[text] = steps
        return steps
    }

    // MARK: Jobs and events

    public func jobCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_learning_jobs") ?? 0 }
    }

    public func insertJob(_ job: LearningJob) throws {
        try write(at: job.startedAt) { db in
            try db.execute(
                sql: """
                    INSERT INTO onboarding_learning_jobs
                      (id, job_type, status, patterns_discovered, champions_updated, error_message, metadata, started_at, completed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id, job.jobType, job.status.rawValue, job.patternsDiscovered, job.championsUpdated,
                    job.errorMessage, job.metadata, job.startedAt, job.completedAt,
                ])
        }
    }

    public func updateJob(_ job: LearningJob) throws {
        try write(at: job.completedAt ?? job.startedAt) { db in
            try db.execute(
                sql: """
                    UPDATE onboarding_learning_jobs SET status = ?, patterns_discovered = ?, champions_updated = ?,
                           error_message = ?, metadata = ?, completed_at = ? WHERE id = ?
                    """,
                arguments: [
                    job.status.rawValue, job.patternsDiscovered, job.championsUpdated, job.errorMessage,
                    job.metadata, job.completedAt, job.id,
                ])
            if db.changesCount == 0 { throw EngineError.store("no job \(job.id)") }
        }
    }

    public func jobs() throws -> [LearningJob] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM onboarding_learning_jobs ORDER BY rowid").map(JobRecord.job(from:))
        }
    }

    public func appendOrchestratorEvent(type: OrchestratorEventType, persona: String?, payload: String, at: Minute)
        throws
    {
        try write(at: at) { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orchestrator_events") ?? 0
            try db.execute(
                sql:
                    "INSERT INTO orchestrator_events (id, event_type, persona, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [FlowID.stableUUID("event:\(count)"), type.rawValue, persona, payload, at])
        }
    }

    public func orchestratorEvents() throws -> [OrchestratorEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM orchestrator_events ORDER BY rowid").map { row in
                OrchestratorEvent(
                    id: try row.decode(forColumn: "id"), eventType: try row.decode(forColumn: "event_type"),
                    persona: try row.decode(forColumn: "persona"), payload: try row.decode(forColumn: "payload"),
                    occurredAt: try row.decode(forColumn: "occurred_at"))
            }
        }
    }

    /// Rows in `onboarding_events` (the memory store does not keep them).
    public func onboardingEventCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_events") ?? 0 }
    }
}

/// The engine clock as seen by the triggers' `engine_now()`.
final class EngineClock: Sendable {
    private let value = Mutex<Int>(0)
    var now: Int {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

extension SettingScalar {
    var databaseValue: DatabaseValue {
        switch self {
        case .real(let d): return d.databaseValue
        case .integer(let i): return i.databaseValue
        case .text(let s): return s.databaseValue
        }
    }
}
