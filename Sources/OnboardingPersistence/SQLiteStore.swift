import Foundation
import GRDB
import OnboardingEngine

/// The engine's record of truth: every table of SPEC §1.2 in one SQLite file, through GRDB.
///
/// Like GRDB's `AppDatabase` demo, one façade owns the writer and a private migrator. Writes outside a
/// ``batch(_:)`` are one transaction each; inside a batch (the simulator's day) they join the batch's
/// transaction, and ``transaction(_:)`` becomes a savepoint, so a failed nightly job still leaves no partial
/// pattern update. The database is open to any SQLite client (SPEC §1.2): times are ISO 8601 UTC text, the
/// engine writes each time explicitly (its clock is not the wall clock), and the triggers that maintain
/// `win_score` and the timestamps of outside writers use only SQLite's own functions (``EngineSchema``).
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

    /// How long every connection waits for another connection's lock before failing (seconds).
    public static let busyTimeout: Double = 5

    /// How hard SQLite works to survive a crash.
    public enum Durability: Sendable {
        /// WAL journal, SQLite's default sync: for databases an engine runs on. Readers never block the engine
        /// and the engine never blocks readers.
        case durable
        /// `synchronous = OFF`, in-memory rollback journal: for simulation databases, which are reproducible
        /// from their scenario and seed. Savepoints and rollbacks still work.
        case simulation
    }

    public let path: String
    let writer: DatabaseQueue
    var current: Database?
    var stepsCache: [String: [String]] = [:]
    /// User ids by handle (the assignment row's rowid) for the handles this store handed out or resolved, so the
    /// handle-based operations need no extra lookup; emptied when it grows past ``userIdCacheLimit``.
    var userIds: [Int64: String] = [:]
    static let userIdCacheLimit = 1 << 17
    /// The rows of the current batch and the cached users' rows (``WriteBehind``).
    var writeBehind = WriteBehind()
    /// Whether a batch buffers its per-user writes (``WriteBehind``; on by default). Off, every operation inside
    /// a batch writes through at once, as outside one (the tests compare the two).
    public var writeBehindEnabled = true
    /// The cache of users' rows keeps the younger half when it grows past this many users (a variable so that the
    /// tests can make the eviction happen in a small simulation).
    var userCacheLimit = 1 << 17

    /// The copy of the database taken before this open migrated it from an older schema (nil: no migration).
    public private(set) var migrationBackupPath: String?

    /// Opens (or creates) the engine database at `path`. Throws ``PersistenceError`` for a missing file (in
    /// `.existing` mode), a file that is not an engine database, or a schema newer than this binary; in those
    /// cases nothing is written. A database of an older schema is first copied to ``migrationBackupPath``
    /// (`<path>.v1-backup`, or `.v1-backup-2`, … when taken), then migrated in one transaction.
    public init(path: String, mode: OpenMode, durability: Durability = .durable) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && mode != .createOrMigrate { throw PersistenceError.missingDatabase(path: path) }
        var configuration = Self.configuration()
        if exists {
            // Inspect read-only first, so that a foreign file is never touched.
            var readOnly = configuration
            readOnly.readonly = true
            do {
                let probe = try DatabaseQueue(path: path, configuration: readOnly)
                let pending = try probe.read { db -> Bool in
                    try Self.vet(db, path: path, mode: mode)
                    let applied =
                        try db.tableExists("grdb_migrations")
                        ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                    return !applied.isEmpty && !Set(EngineSchema.migrator.migrations).isSubset(of: Set(applied))
                }
                if pending && mode != .readOnly {
                    let backup = Self.freeBackupPath(for: path)
                    let copy = try DatabaseQueue(path: backup)
                    try probe.backup(to: copy)
                    try copy.close()
                    migrationBackupPath = backup
                }
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
        configuration.prepareDatabase { db in
            switch durability {
            case .durable:
                // Persistent in the file; a no-op once set. Not inside a transaction (GRDB prepares outside one).
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            case .simulation:
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
        writer = try DatabaseQueue(configuration: Self.configuration())
        try EngineSchema.migrator.migrate(writer)
        try writer.write { db in try Self.writeDefaultSettingsIfMissing(db) }
    }

    /// The one configuration every connection starts from: foreign keys on, the busy timeout.
    static func configuration() -> Configuration {
        // Before the process's first connection: later, SQLite refuses the option (and nothing changes).
        _ = SQLiteLibrary.memoryStatisticsAreOff
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "onboarding-engine"
        configuration.busyMode = .timeout(busyTimeout)
        return configuration
    }

    /// `<path>.v1-backup`, or the first of `.v1-backup-2`, `-3`, … that does not exist.
    static func freeBackupPath(for path: String) -> String {
        let base = path + ".v1-backup"
        var candidate = base
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        return candidate
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
            let expected = EngineSchema.tables + (applied.contains("v2-open-database") ? EngineSchema.v2Tables : [])
            let missing = expected.filter { !tables.contains($0) }
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

    /// Runs `body` in the current batch transaction (after writing what the batch buffered), or in a transaction
    /// of its own.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current {
            if writeBehind.active { try flushWriteBehind(db) }
            return try body(db)
        }
        return try writer.write { db in
            current = db
            defer { current = nil }
            return try body(db)
        }
    }

    /// Runs `body` in the current batch transaction (after writing what the batch buffered, so that it reads
    /// exactly what the write-through path would), or in a read transaction of its own.
    ///
    /// Not GRDB's `read`: it brackets the body with `PRAGMA query_only`, a flag pragma, and SQLite expires every
    /// prepared statement of the connection after a flag pragma (`OP_Expire`). The write-behind flush's statements
    /// were then compiled again after each such read: 18% of the instructions of a SQLite simulation
    /// (`bench/instructions.sh scenarios/seed-narrative.yaml 300 sqlite`). A deferred transaction that only reads
    /// sees one snapshot just the same.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        if let db = current {
            if writeBehind.active { try flushWriteBehind(db) }
            return try body(db)
        }
        return try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw EngineError.store("read transaction ended without a result") }
            return result
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try run(body, writeBehind: false) }

    /// One transaction for `body`; a top-level batch buffers its per-user writes (``WriteBehind``) and writes them
    /// before it commits. If `body` throws, nothing of it is written and the buffer and cached rows are dropped.
    public func batch<T>(_ body: () throws -> T) throws -> T { try run(body, writeBehind: writeBehindEnabled) }

    private func run<T>(_ body: () throws -> T, writeBehind buffered: Bool) throws -> T {
        // A rolled-back savepoint that changed no user row (a failed nightly job) leaves the cached rows valid.
        var usersUnchanged = false
        do {
            if let db = current {
                // A savepoint: what was buffered before it is written first, so a rollback drops only its own.
                if writeBehind.active { try flushWriteBehind(db) }
                let userWrites = writeBehind.userWrites
                var result: T?
                do {
                    try db.inSavepoint {
                        result = try body()
                        return .commit
                    }
                } catch {
                    usersUnchanged =
                        writeBehind.active && writeBehind.failure == nil && writeBehind.isEmpty
                        && writeBehind.userWrites == userWrites && writeBehind.left == nil
                    throw error
                }
                guard let result else { throw EngineError.store("savepoint ended without a result") }
                return result
            }
            return try writer.write { db in
                current = db
                defer {
                    current = nil
                    writeBehind.active = false
                }
                if buffered { try beginWriteBehind(db) }
                let result = try body()
                if buffered { try endWriteBehind(db) }
                return result
            }
        } catch {
            // Rolled back: a rowid handed out inside may be given to another user later, and the buffered and
            // cached rows may be what was rolled back.
            userIds.removeAll()
            if !usersUnchanged { writeBehind.discard() }
            throw error
        }
    }

    public func atomically<T>(_ body: () throws -> T) throws -> T {
        current == nil ? try transaction(body) : try body()
    }

    public func compact(now: Minute, settings: EngineSettings) throws {}

    /// Closes the database; further calls fail.
    public func close() throws {
        writeBehind.statements.removeAll()
        writeBehind.inserts.removeAll()
        try writer.close()
    }

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
        try write { db in
            for (key, value) in settings.keyValues {
                try db.execute(
                    sql:
                        "INSERT INTO engine_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value.databaseValue])
            }
            // Touch every pattern at the operation's time: the trigger recomputes win_score with the new weights.
            try db.execute(
                sql:
                    "UPDATE onboarding_flow_patterns SET win_rate_7d = win_rate_7d, updated_at = ?, engine_writes = engine_writes + 1",
                arguments: [try SQLTime.text(at)])
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
                    db.cachedStatement(sql: FlowPatternRecord.selectPersonaSQL), arguments: [persona])
            } else {
                rows = try Row.fetchAll(db.cachedStatement(sql: FlowPatternRecord.selectAllSQL))
            }
            return try rows.map(FlowPatternRecord.pattern(from:))
        }
    }

    public func upsertPattern(_ stats: FlowStats, observedAt: Minute?, at: Minute) throws -> FlowPattern {
        try write { db in
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
                      last_observed_at = COALESCE(excluded.last_observed_at, last_observed_at),
                      updated_at = excluded.updated_at, engine_writes = engine_writes + 1
                    """
            ).execute(arguments: [
                FlowID.stableUUID("pattern:" + stats.flowId), stats.persona, stats.flowId,
                JSONValue.stringArray(stats.steps),
                stats.winRate7d, stats.winRate30d, stats.avgTimeToFirstWinMinutes, stats.sampleSize,
                stats.explorationPriority, stats.suggestedVariant, try SQLTime.text(observedAt), try SQLTime.text(at),
                try SQLTime.text(at),
            ])
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: FlowPatternRecord.selectOneSQL), arguments: [stats.persona, stats.flowId])
            else { throw EngineError.store("pattern \(stats.flowId) vanished after upsert") }
            return try FlowPatternRecord.pattern(from: row)
        }
    }

    public func setChampion(
        persona: String, flowId: String, isChampion: Bool, lastChampionAt: Minute?, electedWinScore: Double?, at: Minute
    ) throws {
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_flow_patterns SET is_champion = ?, last_champion_at = ?, elected_win_score = ?,
                           updated_at = ?, engine_writes = engine_writes + 1
                     WHERE persona = ? AND flow_id = ?
                    """
            ).execute(arguments: [
                isChampion, try SQLTime.text(lastChampionAt), electedWinScore, try SQLTime.text(at), persona, flowId,
            ])
            if db.changesCount == 0 { throw EngineError.store("no pattern \(flowId) for persona \(persona)") }
        }
    }

    // MARK: Users

    @discardableResult
    public func insertAssignment(_ a: Assignment, variant: String, steps: [String]) throws -> UserHandle {
        let assignedAt = try SQLTime.text(a.assignedAt)
        if let db = try bufferingDatabase {
            let lastUpdated = try SQLTime.text(a.lastUpdated)
            if let user = try bufferAssignment(
                db, a, variant: variant, steps: steps, assignedAt: assignedAt, lastUpdated: lastUpdated)
            {
                return user
            }
            // Inserted by the SQL path below: the cache no longer holds every user.
            writeBehind.userWrites += 1
            writeBehind.nextRowid = nil
            writeBehind.completeAfter = nil
            writeBehind.storedUserIds = nil
            writeBehind.storedAssignmentIds = nil
        }
        return try write { db in
            do {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO onboarding_flow_assignments (id, user_id, persona, flow_id, assigned_at, mode, last_updated)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    a.id, a.userId, a.persona, a.flowId, try SQLTime.text(a.assignedAt), a.mode.rawValue,
                    try SQLTime.text(a.lastUpdated),
                ])
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            {
                throw EngineError.duplicateUser(a.userId)
            }
            let rowid = db.lastInsertedRowID
            try db.cachedStatement(
                sql:
                    "INSERT INTO onboarding_personalization (user_id, persona, chosen_variant, flow_id) VALUES (?, ?, ?, ?)"
            )
            .execute(arguments: [a.userId, a.persona, variant, a.flowId])
            try db.cachedStatement(
                sql:
                    "INSERT INTO onboarding_journey_state (user_id, step_order, started_at, updated_at) VALUES (?, ?, ?, ?)"
            )
            .execute(arguments: [a.userId, JSONValue.stringArray(steps), assignedAt, assignedAt])
            try db.cachedStatement(
                sql: "INSERT INTO onboarding_journey_metrics (user_id, created_at, updated_at) VALUES (?, ?, ?)"
            )
            .execute(arguments: [a.userId, assignedAt, assignedAt])
            return remember(rowid: rowid, userId: a.userId)
        }
    }

    func remember(rowid: Int64, userId: String) -> UserHandle {
        if userIds.count >= Self.userIdCacheLimit { userIds.removeAll(keepingCapacity: true) }
        userIds[rowid] = userId
        return UserHandle(Int(rowid))
    }

    /// A user's handle is the rowid of its `onboarding_flow_assignments` row (stable for the life of the row; a
    /// `VACUUM` by another process may renumber rows, so handles are not kept across one).
    public func handle(of userId: String) throws -> UserHandle? {
        if let db = try bufferingDatabase {
            // Buffered users are in `rowids`; any other is stored as it is: no flush needed.
            if let rowid = writeBehind.rowids[userId] { return remember(rowid: rowid, userId: userId) }
            return try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT rowid FROM onboarding_flow_assignments WHERE user_id = ?"),
                arguments: [userId]
            ).map { remember(rowid: $0, userId: userId) }
        }
        return try read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT rowid FROM onboarding_flow_assignments WHERE user_id = ?"),
                arguments: [userId])
        }.map { remember(rowid: $0, userId: userId) }
    }

    public func userId(of user: UserHandle) throws -> String? {
        if let id = userIds[Int64(user.raw)] { return id }
        if writeBehind.active, let slot = writeBehind.users.slot(Int64(user.raw)) {
            let id = writeBehind.users[slot: slot].userId
            _ = remember(rowid: Int64(user.raw), userId: id)
            return id
        }
        return try read { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT user_id FROM onboarding_flow_assignments WHERE rowid = ?"),
                arguments: [Int64(user.raw)])
        }.map { id in
            _ = remember(rowid: Int64(user.raw), userId: id)
            return id
        }
    }

    private func existingUserId(_ user: UserHandle) throws -> String {
        guard let id = try userId(of: user) else { throw EngineError.unknownUser(user.description) }
        return id
    }

    public func assignment(_ user: UserHandle) throws -> Assignment? {
        if let db = try bufferingDatabase {
            switch try lookUpBuffered(db, user) {
            case .cached(let slot): return writeBehind.users[slot: slot].assignment
            case .missing: return nil
            case .irregular: break
            }
        }
        guard let userId = try userId(of: user) else { return nil }
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(AssignmentRecord.selection) FROM onboarding_flow_assignments WHERE user_id = ?"),
                arguments: [userId]
            )
            .map(AssignmentRecord.assignment(from:))
        }
    }

    public func journeyContext(_ user: UserHandle) throws -> JourneyContext? {
        if let db = try bufferingDatabase {
            switch try lookUpBuffered(db, user) {
            case .cached(let slot): return writeBehind.users[slot: slot].journeyContext
            case .missing: return nil
            case .irregular: break
            }
        }
        guard let userId = try userId(of: user) else { return nil }
        return try read { db in
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
                assignedAt: try time(
                    row, index: 2, table: "onboarding_flow_assignments", key: userId, column: "assigned_at"))
        }
    }

    public func eventContext(_ user: UserHandle, event: String) throws -> EventContext {
        if let db = try bufferingDatabase {
            switch try lookUpBuffered(db, user) {
            case .cached(let slot): return writeBehind.users[slot: slot].eventContext(event: event)
            case .missing: throw EngineError.unknownUser(user.description)
            case .irregular: break
            }
        }
        return try composedEventContext(user, event: event)
    }

    public func journeyMetrics(_ user: UserHandle) throws -> JourneyMetrics? {
        if let db = try bufferingDatabase {
            switch try lookUpBuffered(db, user) {
            case .cached(let slot): return writeBehind.users[slot: slot].metrics
            case .missing: return nil
            case .irregular: break
            }
        }
        guard let userId = try userId(of: user) else { return nil }
        return try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(MetricsRecord.selection) FROM onboarding_journey_metrics WHERE user_id = ?"),
                arguments: [userId]
            )
            .map(MetricsRecord.metrics(from:))
        }
    }

    public func applyOutcome(_ user: UserHandle, update: OutcomeUpdate, at: Minute) throws {
        if let db = try bufferingDatabase, try bufferedApplyOutcome(db, user, update: update, at: at) { return }
        defer { returnToBuffer(user) }
        let userId = try existingUserId(user)
        let atText = try SQLTime.text(at)
        let firstWinAt = try SQLTime.text(update.firstWin?.at)
        try write { db in
            if update.setActivated7d || update.setRetained30d || update.setUpgraded {
                try db.cachedStatement(
                    sql: """
                        UPDATE onboarding_flow_assignments
                           SET activated_7d = (activated_7d OR ?), retained_30d = (retained_30d OR ?), upgraded = (upgraded OR ?),
                               last_updated = ?, engine_writes = engine_writes + 1
                         WHERE user_id = ?
                        """
                ).execute(arguments: [update.setActivated7d, update.setRetained30d, update.setUpgraded, atText, userId])
                if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
            }
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_metrics
                       SET activated_7d = (activated_7d OR ?), retained_30d = (retained_30d OR ?), upgraded = (upgraded OR ?),
                           time_to_first_win_minutes = COALESCE(time_to_first_win_minutes, ?),
                           first_aha_moment_at = COALESCE(first_aha_moment_at, ?),
                           activation_event = COALESCE(activation_event, ?), updated_at = ?,
                           engine_writes = engine_writes + 1
                     WHERE user_id = ?
                    """
            ).execute(arguments: [
                update.setActivated7d, update.setRetained30d, update.setUpgraded,
                update.firstWin?.minutes, firstWinAt, update.firstWin?.event, atText, userId,
            ])
            if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
        }
    }

    public func appendEvent(_ user: UserHandle, eventType: String, at: Minute, metadata: String?) throws {
        if let db = try bufferingDatabase,
            try bufferedAppendEvent(db, user, eventType: eventType, at: at, metadata: metadata)
        {
            return
        }
        defer { returnToBuffer(user) }
        let userId = try existingUserId(user)
        try write { db in
            do {
                try db.cachedStatement(
                    sql:
                        "INSERT INTO onboarding_events (user_id, event_type, occurred_at, metadata) VALUES (?, ?, ?, ?)"
                )
                .execute(arguments: [userId, eventType, try SQLTime.text(at), metadata])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                throw EngineError.unknownUser(userId)
            }
        }
    }

    public func markStepCompleted(_ user: UserHandle, step: String, at: Minute) throws {
        if let db = try bufferingDatabase, try bufferedMarkStepCompleted(db, user, step: step, at: at) { return }
        defer { returnToBuffer(user) }
        let userId = try existingUserId(user)
        try write { db in
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_state SET completed_steps = json_insert(completed_steps, '$[#]', ?2), updated_at = ?3,
                           engine_writes = engine_writes + 1
                     WHERE user_id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(completed_steps) WHERE value = ?2)
                    """
            ).execute(arguments: [userId, step, try SQLTime.text(at)])
            guard db.changesCount > 0 else { return }
            try db.cachedStatement(
                sql: """
                    UPDATE onboarding_journey_metrics SET completion_rate =
                      (SELECT CAST(json_array_length(completed_steps) AS REAL) / json_array_length(step_order)
                         FROM onboarding_journey_state WHERE user_id = ?1), updated_at = ?2,
                           engine_writes = engine_writes + 1
                     WHERE user_id = ?1
                    """
            ).execute(arguments: [userId, try SQLTime.text(at)])
        }
    }

    public func rewriteStepOrder(_ user: UserHandle, steps: [String], at: Minute) throws {
        if let db = try bufferingDatabase, try bufferedRewriteStepOrder(db, user, steps: steps, at: at) { return }
        defer { returnToBuffer(user) }
        let userId = try existingUserId(user)
        try write { db in
            try db.cachedStatement(
                sql:
                    "UPDATE onboarding_journey_state SET step_order = ?, completed_steps = '[]', updated_at = ?, engine_writes = engine_writes + 1 WHERE user_id = ?"
            )
            .execute(arguments: [JSONValue.stringArray(steps), try SQLTime.text(at), userId])
            if db.changesCount == 0 { throw EngineError.unknownUser(userId) }
            try db.cachedStatement(
                sql:
                    "UPDATE onboarding_journey_metrics SET completion_rate = 0, updated_at = ?, engine_writes = engine_writes + 1 WHERE user_id = ?"
            ).execute(arguments: [try SQLTime.text(at), userId])
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
                        """), arguments: [SQLTime.bound(since)])
            var result: [Journey] = []
            while let row = try cursor.next() {
                let userId: String = try row.decode(atIndex: 0)
                result.append(
                    Journey(
                        userId: userId, persona: try row.decode(atIndex: 1),
                        steps: try steps(row, index: 2, table: "onboarding_journey_state", key: userId),
                        assignedAt: try time(
                            row, index: 3, table: "onboarding_flow_assignments", key: userId, column: "assigned_at"),
                        activated7d: try row.decode(atIndex: 4),
                        retained30d: try row.decode(atIndex: 5), timeToFirstWinMinutes: try row.decode(atIndex: 6),
                        variant: try row.decode(atIndex: 7)))
            }
            return result
        }
    }

    /// The window's totals by GROUP BY (the seed's `get_recent_onboarding_journeys` + aggregation in SQL): integer
    /// sums only, so the result is exactly what aggregating the journeys in Swift gives.
    public func windowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]? {
        if let totals = try cachedWindowTotals(since: since, now: now) { return totals }
        return try read { db in
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
                        """),
                arguments: [
                    "m7": SQLTime.bound(mature7), "m30": SQLTime.bound(mature30), "since": SQLTime.bound(since),
                ])
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
                        SELECT substr(assigned_at, 1, 10) AS day, COUNT(*) AS total,
                               SUM(activated_7d) AS activated
                          FROM onboarding_flow_assignments
                         WHERE assigned_at >= ? AND assigned_at < ?
                         GROUP BY day ORDER BY day
                        """),
                arguments: [
                    SQLTime.bound(days.lowerBound * Clock.minutesPerDay),
                    SQLTime.bound((days.upperBound + 1) * Clock.minutesPerDay),
                ]
            ).map { row in
                let dayText: String = try row.decode(forColumn: "day")
                let day = try SQLTime.minute(
                    dayText + "T00:00:00Z", table: "onboarding_flow_assignments", key: dayText, column: "assigned_at")
                return TrendPoint(
                    day: day / Clock.minutesPerDay, total: try row.decode(forColumn: "total"),
                    activated: try row.decode(forColumn: "activated"))
            }
        }
    }

    /// Reads a stored time by position.
    private func time(_ row: Row, index: Int, table: String, key: String, column: String) throws -> Minute {
        let text: String
        do { text = try row.decode(atIndex: index) } catch {
            throw PersistenceError.corruptRow(table: table, key: key, column: column, reason: "\(error)")
        }
        return try SQLTime.minute(text, table: table, key: key, column: column)
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
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO onboarding_learning_jobs
                      (id, job_type, status, patterns_discovered, champions_updated, error_message, metadata, started_at, completed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    job.id, job.jobType, job.status.rawValue, job.patternsDiscovered, job.championsUpdated,
                    job.errorMessage, job.metadata, try SQLTime.text(job.startedAt), try SQLTime.text(job.completedAt),
                ])
        }
    }

    public func updateJob(_ job: LearningJob) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE onboarding_learning_jobs SET status = ?, patterns_discovered = ?, champions_updated = ?,
                           error_message = ?, metadata = ?, completed_at = ? WHERE id = ?
                    """,
                arguments: [
                    job.status.rawValue, job.patternsDiscovered, job.championsUpdated, job.errorMessage,
                    job.metadata, try SQLTime.text(job.completedAt), job.id,
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
        try write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orchestrator_events") ?? 0
            try db.execute(
                sql:
                    "INSERT INTO orchestrator_events (id, event_type, persona, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [FlowID.stableUUID("event:\(count)"), type.rawValue, persona, payload, try SQLTime.text(at)])
        }
    }

    public func orchestratorEvents() throws -> [OrchestratorEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM orchestrator_events ORDER BY rowid").map { row in
                let id: String = try row.decode(forColumn: "id")
                return OrchestratorEvent(
                    id: id, eventType: try row.decode(forColumn: "event_type"),
                    persona: try row.decode(forColumn: "persona"), payload: try row.decode(forColumn: "payload"),
                    occurredAt: try SQLTime.minute(
                        try row.decode(forColumn: "occurred_at"), table: "orchestrator_events", key: id,
                        column: "occurred_at"))
            }
        }
    }

    /// Rows in `onboarding_events` (the memory store does not keep them).
    public func onboardingEventCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM onboarding_events") ?? 0 }
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
