import GRDB
import OnboardingEngine

/// The SQLite store's write-behind buffer: the simulator's speed path (issue 11).
///
/// Inside a top-level ``SQLiteStore/batch(_:)`` (the simulator's day, one transaction) the per-user operations do
/// not run SQL one statement at a time. The rows a batch writes live in memory: the new users' assignment,
/// personalization, journey state and metrics rows, the appended `onboarding_events` rows, and the current rows
/// of the users the batch touched. The per-user reads (`assignment`, `journeyContext`, `journeyMetrics`,
/// `handle(of:)`, `userId(of:)`) are answered from them. Before any other SQL of the batch (any `read`/`write`:
/// the nightly job's window, patterns, jobs, …), before a savepoint and before the batch commits, the buffer is
/// flushed: new users by multi-row INSERTs (``rowsPerInsert`` rows a statement, each statement prepared once), the
/// events by multi-row INSERTs in the order they were appended, and each touched user's changed rows by one UPDATE
/// per table. The database then holds exactly the rows the write-through path writes: the same rowids (the
/// assignment's rowid, the user's handle, is handed out as `max(rowid) + 1` and inserted explicitly), the same
/// event ids, timestamps, `engine_writes` counters (one per operation that changed the row) and JSON text (the
/// completed steps are rendered in Swift only when SQLite's `json_insert` would give the same text; otherwise the
/// operation falls back to the SQL path). `SQLiteStoreWriteBehindTests` compares every table with the
/// write-through path.
///
/// After a flush the users' rows stay in memory as a cache, so a user whose outcome arrives on a later day is not
/// read again. The cache is only trusted inside a batch, and is dropped when the batch (or a savepoint in it)
/// rolls back, when it outgrows ``SQLiteStore/userCacheLimit``, and at the start of a batch when the database
/// changed since the last batch committed: another connection committed (`PRAGMA data_version`) or this one wrote
/// outside a batch (`total_changes()`).
///
/// Outside a batch every operation is write-through, in its own transaction, exactly as before.
struct WriteBehind {
    /// True while a top-level batch runs with write-behind on.
    var active = false
    /// Users by handle: every user assigned or touched in this batch, and those of earlier batches while the
    /// cache is valid.
    var users = UserTable()
    /// The handles of ``users`` by user id.
    var rowids: [String: Int64] = [:]
    /// New users not yet inserted, in rowid order (slots of ``users``; no user is forgotten while a change is
    /// buffered, so slots stay put until the flush).
    var inserted: [Int] = []
    /// The assignment ids (primary key) of the new users not yet inserted.
    var insertedIds: Set<String> = []
    /// Users read from the database whose rows changed since, in the order they first changed (slots).
    var updated: [Int] = []
    /// `onboarding_events` rows not yet inserted, in order.
    var events: [BufferedEvent] = []
    /// The rowid the next new user gets (nil: read `max(rowid) + 1` first).
    var nextRowid: Int64?
    /// `PRAGMA data_version` and `total_changes()` when the last batch committed (nil: no valid cache).
    var committed: (dataVersion: Int64, totalChanges: Int)?
    /// The error of a flush that failed inside the current batch: the batch can no longer commit.
    var failure: (any Error)?
    /// Every stored user assigned after this minute is in ``users`` (nil: not known to be). Established when a
    /// batch starts on an empty table and kept while the cache is valid; ``SQLiteStore/windowTotals(since:now:)``
    /// then totals the window from memory.
    var completeAfter: Minute?
    /// The user that left the cache for the SQL path, and ``completeAfter`` before it left.
    var left: (rowid: Int64, completeAfter: Minute?)?
    /// Every `user_id` and every `id` of the assignments table, when the cache started on an empty table and every
    /// assignment since went through the buffer, up to ``SQLiteStore/idSetLimit`` users (nil: not known):
    /// duplicates are then found without a query.
    var storedUserIds: Set<String>?
    var storedAssignmentIds: Set<String>?
    /// The window groups (persona, step order text, variant) users belong to, interned.
    var groupIds: [WindowGroup: Int] = [:]
    var groups: [WindowGroup] = []
    /// Counts the writes to the user tables of this store's batches (flushes, operations on the SQL path), so that
    /// a rolled-back savepoint that wrote none keeps the cache.
    var userWrites = 0
    /// The last time rendered for a buffered row.
    var lastTime: (minute: Minute, text: String)?
    /// The flush's prepared UPDATEs by SQL, and its multi-row INSERTs by table and row count.
    var statements: [String: RawStatement] = [:]
    var inserts: [InsertShape: RawStatement] = [:]

    /// The last groups and step orders seen: the engine hands out the same few (string `==` on one storage is a
    /// pointer comparison, so these are tried before hashing).
    var recentGroups: [(group: WindowGroup, id: Int)] = []
    var recentStepOrders: [(steps: [String], text: String)] = []

    /// The interned index of a window group.
    mutating func group(persona: String, stepOrderText: String, variant: String) -> Int {
        for recent in recentGroups
        where recent.group.stepOrderText == stepOrderText && recent.group.persona == persona
            && recent.group.variant == variant
        {
            return recent.id
        }
        let key = WindowGroup(persona: persona, stepOrderText: stepOrderText, variant: variant)
        let id: Int
        if let known = groupIds[key] {
            id = known
        } else {
            groups.append(key)
            id = groups.count - 1
            groupIds[key] = id
        }
        if recentGroups.count == 16 { recentGroups.removeFirst() }
        recentGroups.append((key, id))
        return id
    }

    /// `JSONValue.stringArray(steps)`, the same text for the same steps.
    mutating func stepOrderText(_ steps: [String]) -> String {
        for recent in recentStepOrders where recent.steps == steps { return recent.text }
        let text = JSONValue.stringArray(steps)
        if recentStepOrders.count == 16 { recentStepOrders.removeFirst() }
        recentStepOrders.append((steps, text))
        return text
    }

    var isEmpty: Bool { inserted.isEmpty && updated.isEmpty && events.isEmpty }

    /// Forgets every buffered change and every cached row.
    mutating func discard() {
        users.removeAll()
        rowids.removeAll()
        inserted.removeAll()
        insertedIds.removeAll()
        updated.removeAll()
        events.removeAll()
        nextRowid = nil
        committed = nil
        completeAfter = nil
        left = nil
        storedUserIds = nil
        storedAssignmentIds = nil
    }

    /// Forgets one user's cached rows (it has no buffered change).
    mutating func forget(_ rowid: Int64) {
        precondition(isEmpty, "a user is forgotten while changes are buffered")
        if let user = users.remove(rowid) { rowids[user.userId] = nil }
    }
}

/// The cached users in one array (updated in place, scanned without copying), with their slots by handle, and
/// beside it what the nightly window sums of each (``WindowEntry``), kept in step by every change below.
struct UserTable {
    private(set) var entries: [BufferedUser] = []
    /// `windowEntries[slot]` is `WindowEntry(entries[slot])`.
    private(set) var windowEntries: [WindowEntry] = []
    private var slots: [Int64: Int] = [:]

    var count: Int { entries.count }

    func slot(_ rowid: Int64) -> Int? { slots[rowid] }

    subscript(slot slot: Int) -> BufferedUser {
        get { entries[slot] }
        _modify {
            // Also when the access ends by an error (a coroutine's code after its yield would not run then).
            defer { windowEntries[slot] = WindowEntry(entries[slot]) }
            yield &entries[slot]
        }
    }

    /// Appends a user (consumed: a borrowed one was copied into the array, retaining every string it holds).
    mutating func add(_ user: consuming BufferedUser) -> Int {
        let rowid = user.rowid
        windowEntries.append(WindowEntry(user))
        entries.append(user)
        slots[rowid] = entries.count - 1
        return entries.count - 1
    }

    /// Removes a user (the last one takes its slot).
    mutating func remove(_ rowid: Int64) -> BufferedUser? {
        guard let slot = slots.removeValue(forKey: rowid) else { return nil }
        let user = entries[slot]
        let last = entries.count - 1
        if slot != last {
            entries.swapAt(slot, last)
            windowEntries.swapAt(slot, last)
            slots[entries[slot].rowid] = slot
        }
        entries.removeLast()
        windowEntries.removeLast()
        return user
    }

    /// Keeps the users `keep` accepts.
    mutating func filter(_ keep: (BufferedUser) -> Bool) {
        entries.removeAll { !keep($0) }
        slots.removeAll(keepingCapacity: true)
        windowEntries.removeAll(keepingCapacity: true)
        // By index: binding each user (`for (slot, user) in …`) copied it, retaining every string it holds.
        for slot in entries.indices {
            slots[entries[slot].rowid] = slot
            windowEntries.append(WindowEntry(entries[slot]))
        }
    }

    mutating func removeAll() {
        entries.removeAll()
        windowEntries.removeAll()
        slots.removeAll()
    }
}

/// What ``SQLiteStore/cachedWindowTotals(since:now:)`` reads of a cached user: 40 bytes in a dense array, where
/// scanning the rows themselves (several hundred bytes each) was 3% of a SQLite run.
struct WindowEntry: Equatable {
    var assignedAt: Minute
    var timeToFirstWinMinutes: Int?
    var group: Int
    var activated7d: Bool
    var retained30d: Bool

    init(_ user: borrowing BufferedUser) {
        assignedAt = user.assignedAt
        timeToFirstWinMinutes = user.timeToFirstWinMinutes
        group = user.group
        activated7d = user.activated7d
        retained30d = user.retained30d
    }
}

/// A multi-row INSERT of the flush: its table and number of rows.
struct InsertShape: Hashable {
    var table: String
    var rows: Int
}

/// What `windowTotals` groups users by: `(persona, step_order, chosen_variant)`.
struct WindowGroup: Hashable {
    var persona: String
    var stepOrderText: String
    var variant: String
}

/// One appended `onboarding_events` row.
struct BufferedEvent {
    var userId: String
    var eventType: String
    var occurredAt: String
    var metadata: String?
}

/// A user's rows in `onboarding_flow_assignments`, `onboarding_personalization`, `onboarding_journey_state` and
/// `onboarding_journey_metrics`, as the engine's operations left them. Times are kept as the stored text (and its
/// minute); a user whose rows the Swift path cannot reproduce exactly is never cached (see ``SQLiteStore``).
struct BufferedUser {
    var rowid: Int64
    /// Not yet in the database: inserted at the flush.
    var isNew: Bool
    /// Changed since it was read from the database (or since the last flush).
    var assignmentChanged = false
    var stateChanged = false
    var metricsChanged = false
    var queuedForUpdate = false
    /// The user's ``WindowGroup``.
    var group: Int

    // onboarding_flow_assignments
    var id: String
    var userId: String
    var persona: String
    var flowId: String
    var assignedAt: Minute
    var assignedAtText: String
    var mode: AssignmentMode
    var activated7d: Bool
    var retained30d: Bool
    var upgraded: Bool
    var lastUpdated: Minute
    var lastUpdatedText: String
    var assignmentWrites: Int64
    // onboarding_personalization (written once, with a new user)
    var variant: String
    // onboarding_journey_state
    var steps: [String]
    var stepOrderText: String
    /// Completed steps and their JSON text. When `completedPlain`, every step is plain
    /// (``SQLiteStore/isPlainJSONString(_:)``) and the text is SQLite's own rendering, so a step can be appended in
    /// Swift; otherwise `markStepCompleted` takes the SQL path.
    var completedPlain: Bool
    var completed: [String]
    var completedText: String
    var startedAtText: String
    var stateUpdatedAtText: String
    var stateWrites: Int64
    // onboarding_journey_metrics
    var metricsActivated7d: Bool
    var metricsRetained30d: Bool
    var metricsUpgraded: Bool
    var timeToFirstWinMinutes: Int?
    var firstAhaMomentAt: Minute?
    var firstAhaMomentAtText: String?
    var activationEvent: String?
    var completionRate: Double
    var createdAt: Minute
    var createdAtText: String
    var metricsUpdatedAt: Minute
    var metricsUpdatedAtText: String
    var metricsWrites: Int64

    var assignment: Assignment {
        Assignment(
            id: id, userId: userId, persona: persona, flowId: flowId, assignedAt: assignedAt, mode: mode,
            activated7d: activated7d, retained30d: retained30d, upgraded: upgraded, lastUpdated: lastUpdated)
    }

    var journeyContext: JourneyContext { JourneyContext(persona: persona, steps: steps, assignedAt: assignedAt) }

    func eventContext(event: String) -> EventContext {
        EventContext(
            persona: persona, step: steps.firstIndex(of: event),
            outcome: OutcomeState(
                assignedAt: assignedAt, activated7d: activated7d, retained30d: retained30d, upgraded: upgraded,
                hasFirstWin: firstAhaMomentAt != nil))
    }

    var metrics: JourneyMetrics {
        JourneyMetrics(
            userId: userId, activated7d: metricsActivated7d, retained30d: metricsRetained30d,
            upgraded: metricsUpgraded, timeToFirstWinMinutes: timeToFirstWinMinutes,
            firstAhaMomentAt: firstAhaMomentAt, activationEvent: activationEvent, completionRate: completionRate,
            createdAt: createdAt, updatedAt: metricsUpdatedAt)
    }
}

extension SQLiteStore {
    /// Rows per multi-row INSERT of the flush.
    static let rowsPerInsert = 100
    /// The sets of every stored id (``WriteBehind/storedUserIds``) are kept up to this many users.
    static let idSetLimit = 1 << 20

    /// The batch's connection when operations go to the write-behind buffer (inside a top-level batch), else nil.
    var bufferingDatabase: Database? {
        get throws {
            guard writeBehind.active, let db = current else { return nil }
            if let failure = writeBehind.failure { throw failure }
            return db
        }
    }

    /// Starts a top-level batch: keeps the cached rows only when nobody wrote since the last batch committed.
    func beginWriteBehind(_ db: Database) throws {
        writeBehind.failure = nil
        let mark = (try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0, db.totalChangesCount)
        if let committed = writeBehind.committed, committed == mark {
            // Nobody wrote since: the cached rows are the stored rows.
        } else {
            writeBehind.discard()
            let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM onboarding_flow_assignments)")
            if empty == true {
                writeBehind.completeAfter = Int.min
                writeBehind.storedUserIds = []
                writeBehind.storedAssignmentIds = []
            }
        }
        writeBehind.active = true
    }

    /// Ends a top-level batch whose body succeeded: flushes, and remembers the marks the cache is valid for.
    func endWriteBehind(_ db: Database) throws {
        try flushWriteBehind(db)
        if writeBehind.users.count > userCacheLimit { evictOldestUsers() }
        // Beyond a million users the id sets cost more memory than the duplicate query costs time.
        if (writeBehind.storedUserIds?.count ?? 0) > Self.idSetLimit {
            writeBehind.storedUserIds = nil
            writeBehind.storedAssignmentIds = nil
        }
        writeBehind.committed = (try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0, db.totalChangesCount)
        writeBehind.active = false
    }

    /// Drops the older half of the cached users (by assignment time); the cache stays complete after the
    /// youngest dropped.
    private func evictOldestUsers() {
        var times = writeBehind.users.entries.map(\.assignedAt)
        times.sort()
        let cutoff = times[times.count / 2]
        writeBehind.users.filter { $0.assignedAt > cutoff }
        writeBehind.rowids.removeAll(keepingCapacity: true)
        let kept = writeBehind.users.entries
        for i in kept.indices { writeBehind.rowids[kept[i].userId] = kept[i].rowid }
        if let complete = writeBehind.completeAfter { writeBehind.completeAfter = max(complete, cutoff) }
    }

    /// The window's totals from the cache, when it holds every user of the window (inside a batch): what the
    /// GROUP BY of ``windowTotals(since:now:)`` computes. Times are compared as minutes: every cached assignment
    /// time is canonical text, for which text order is time order (and the out-of-range bounds of
    /// ``SQLTime/bound(_:)`` compare as below or above every minute).
    func cachedWindowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]? {
        guard let db = try bufferingDatabase, let complete = writeBehind.completeAfter, since >= complete else {
            return nil
        }
        try flushWriteBehind(db)
        let mature7 = now - 7 * Clock.minutesPerDay
        let mature30 = now - 30 * Clock.minutesPerDay
        // Per group: count, mature7, mature30, activated, activatedMature, retained, retainedMature, timeSum,
        // timeCount.
        var sums = [Int](repeating: 0, count: writeBehind.groups.count * 9)
        let entries = writeBehind.users.windowEntries
        entries.withUnsafeBufferPointer { users in
            for i in users.indices where users[i].assignedAt > since {
                let assignedAt = users[i].assignedAt
                let base = users[i].group * 9
                let is7 = assignedAt < mature7
                let is30 = assignedAt < mature30
                sums[base] += 1
                if is7 { sums[base + 1] += 1 }
                if is30 { sums[base + 2] += 1 }
                if users[i].activated7d {
                    sums[base + 3] += 1
                    if is7 { sums[base + 4] += 1 }
                    if let t = users[i].timeToFirstWinMinutes {
                        sums[base + 7] += t
                        sums[base + 8] += 1
                    }
                }
                if users[i].retained30d {
                    sums[base + 5] += 1
                    if is30 { sums[base + 6] += 1 }
                }
            }
        }
        var result: [String: FlowWindowTotals] = [:]
        for (index, group) in writeBehind.groups.enumerated() where sums[index * 9] > 0 {
            let key = group.persona + "\u{0}" + group.stepOrderText
            if result[key] == nil {
                let steps: [String]
                if let cached = stepsCache[group.stepOrderText] {
                    steps = cached
                } else {
                    guard let parsed = JSONValue.parseStringArray(group.stepOrderText) else {
                        throw PersistenceError.corruptRow(
                            table: "onboarding_journey_state", key: group.persona, column: "step_order",
                            reason: "not a JSON array of step ids: \(group.stepOrderText)")
                    }
                    stepsCache[group.stepOrderText] = parsed
                    steps = parsed
                }
                result[key] = FlowWindowTotals(persona: group.persona, steps: steps, totals: FlowAccumulator<String>())
            }
            let base = index * 9
            result[key]?.totals.count += sums[base]
            result[key]?.totals.mature7 += sums[base + 1]
            result[key]?.totals.mature30 += sums[base + 2]
            result[key]?.totals.activated += sums[base + 3]
            result[key]?.totals.activatedMature += sums[base + 4]
            result[key]?.totals.retained += sums[base + 5]
            result[key]?.totals.retainedMature += sums[base + 6]
            result[key]?.totals.timeSum += sums[base + 7]
            result[key]?.totals.timeCount += sums[base + 8]
            result[key]?.totals.variants[group.variant, default: 0] += sums[base]
        }
        return Array(result.values)
    }

    // MARK: Flush

    /// Writes every buffered row. A failure poisons the batch: it can no longer commit.
    func flushWriteBehind(_ db: Database) throws {
        if let failure = writeBehind.failure { throw failure }
        guard !writeBehind.isEmpty else { return }
        writeBehind.userWrites += 1
        do {
            try insertNewUsers(db)
            try insertEvents(db)
            try updateTouchedUsers(db)
        } catch {
            writeBehind.failure = error
            throw error
        }
        for slot in writeBehind.inserted + writeBehind.updated {
            // One access per user (each access also renews the user's window entry).
            Self.markWritten(&writeBehind.users[slot: slot])
        }
        writeBehind.inserted.removeAll(keepingCapacity: true)
        writeBehind.insertedIds.removeAll(keepingCapacity: true)
        writeBehind.updated.removeAll(keepingCapacity: true)
        writeBehind.events.removeAll(keepingCapacity: true)
    }

    /// A flushed user: in the database, nothing changed since.
    private static func markWritten(_ user: inout BufferedUser) {
        user.isNew = false
        user.assignmentChanged = false
        user.stateChanged = false
        user.metricsChanged = false
        user.queuedForUpdate = false
    }

    private func insertNewUsers(_ db: Database) throws {
        let slots = writeBehind.inserted
        guard !slots.isEmpty else { return }
        let all = writeBehind.users.entries
        try all.withUnsafeBufferPointer { all in try insertNewUsers(db, slots, all) }
    }

    private func insertNewUsers(_ db: Database, _ slots: [Int], _ all: UnsafeBufferPointer<BufferedUser>) throws {
        guard let base = all.baseAddress else { return }
        let users = slots.map { base + $0 }
        try insertRows(
            db, table: "onboarding_flow_assignments",
            columns: [
                "rowid", "id", "user_id", "persona", "flow_id", "assigned_at", "mode", "activated_7d", "retained_30d",
                "upgraded", "last_updated", "engine_writes",
            ], count: users.count
        ) { i, statement in
            let u = users[i]
            statement.bind(u.pointee.rowid)
            statement.bind(u.pointee.id)
            statement.bind(u.pointee.userId)
            statement.bind(u.pointee.persona)
            statement.bind(u.pointee.flowId)
            statement.bind(u.pointee.assignedAtText)
            statement.bind(u.pointee.mode.rawValue)
            statement.bind(u.pointee.activated7d)
            statement.bind(u.pointee.retained30d)
            statement.bind(u.pointee.upgraded)
            statement.bind(u.pointee.lastUpdatedText)
            statement.bind(u.pointee.assignmentWrites)
        }
        try insertRows(
            db, table: "onboarding_personalization", columns: ["user_id", "persona", "chosen_variant", "flow_id"],
            count: users.count
        ) { i, statement in
            let u = users[i]
            statement.bind(u.pointee.userId)
            statement.bind(u.pointee.persona)
            statement.bind(u.pointee.variant)
            statement.bind(u.pointee.flowId)
        }
        try insertRows(
            db, table: "onboarding_journey_state",
            columns: ["user_id", "step_order", "completed_steps", "started_at", "updated_at", "engine_writes"],
            count: users.count
        ) { i, statement in
            let u = users[i]
            statement.bind(u.pointee.userId)
            statement.bind(u.pointee.stepOrderText)
            statement.bind(u.pointee.completedText)
            statement.bind(u.pointee.startedAtText)
            statement.bind(u.pointee.stateUpdatedAtText)
            statement.bind(u.pointee.stateWrites)
        }
        try insertRows(
            db, table: "onboarding_journey_metrics",
            columns: [
                "user_id", "activated_7d", "retained_30d", "upgraded", "time_to_first_win_minutes",
                "first_aha_moment_at", "activation_event", "completion_rate", "created_at", "updated_at",
                "engine_writes",
            ], count: users.count
        ) { i, statement in
            let u = users[i]
            statement.bind(u.pointee.userId)
            statement.bind(u.pointee.metricsActivated7d)
            statement.bind(u.pointee.metricsRetained30d)
            statement.bind(u.pointee.metricsUpgraded)
            statement.bind(u.pointee.timeToFirstWinMinutes)
            statement.bind(u.pointee.firstAhaMomentAtText)
            statement.bind(u.pointee.activationEvent)
            statement.bind(u.pointee.completionRate)
            statement.bind(u.pointee.createdAtText)
            statement.bind(u.pointee.metricsUpdatedAtText)
            statement.bind(u.pointee.metricsWrites)
        }
    }

    private func insertEvents(_ db: Database) throws {
        let events = writeBehind.events
        guard !events.isEmpty else { return }
        try insertRows(
            db, table: "onboarding_events", columns: ["user_id", "event_type", "occurred_at", "metadata"],
            count: events.count
        ) { i, statement in
            let e = events[i]
            statement.bind(e.userId)
            statement.bind(e.eventType)
            statement.bind(e.occurredAt)
            statement.bind(e.metadata)
        }
    }

    /// One UPDATE per changed table of each user read from the database; `engine_writes` is the stored count plus
    /// one per operation, so the timestamp triggers (outside writers only) do not fire, as on the SQL path.
    private func updateTouchedUsers(_ db: Database) throws {
        guard !writeBehind.updated.isEmpty else { return }
        let assignmentsSQL = """
            UPDATE onboarding_flow_assignments SET activated_7d = ?, retained_30d = ?, upgraded = ?, last_updated = ?,
                   engine_writes = ? WHERE rowid = ?
            """
        let statesSQL = """
            UPDATE onboarding_journey_state SET step_order = ?, completed_steps = ?, updated_at = ?, engine_writes = ?
             WHERE user_id = ?
            """
        let metricsSQL = """
            UPDATE onboarding_journey_metrics SET activated_7d = ?, retained_30d = ?, upgraded = ?,
                   time_to_first_win_minutes = ?, first_aha_moment_at = ?, activation_event = ?, completion_rate = ?,
                   updated_at = ?, engine_writes = ? WHERE user_id = ?
            """
        let assignments = try rawStatement(db, assignmentsSQL)
        let states = try rawStatement(db, statesSQL)
        let metrics = try rawStatement(db, metricsSQL)
        // Field by field through a pointer: copying each user would retain every string it holds.
        let entries = writeBehind.users.entries
        let updated = writeBehind.updated
        try entries.withUnsafeBufferPointer { users in
            guard let base = users.baseAddress else { return }
            for slot in updated {
                let u = base + slot
                if u.pointee.assignmentChanged {
                    assignments.bind(u.pointee.activated7d)
                    assignments.bind(u.pointee.retained30d)
                    assignments.bind(u.pointee.upgraded)
                    assignments.bind(u.pointee.lastUpdatedText)
                    assignments.bind(u.pointee.assignmentWrites)
                    assignments.bind(u.pointee.rowid)
                    try assignments.execute(db)
                }
                if u.pointee.stateChanged {
                    states.bind(u.pointee.stepOrderText)
                    states.bind(u.pointee.completedText)
                    states.bind(u.pointee.stateUpdatedAtText)
                    states.bind(u.pointee.stateWrites)
                    states.bind(u.pointee.userId)
                    try states.execute(db)
                }
                if u.pointee.metricsChanged {
                    metrics.bind(u.pointee.metricsActivated7d)
                    metrics.bind(u.pointee.metricsRetained30d)
                    metrics.bind(u.pointee.metricsUpgraded)
                    metrics.bind(u.pointee.timeToFirstWinMinutes)
                    metrics.bind(u.pointee.firstAhaMomentAtText)
                    metrics.bind(u.pointee.activationEvent)
                    metrics.bind(u.pointee.completionRate)
                    metrics.bind(u.pointee.metricsUpdatedAtText)
                    metrics.bind(u.pointee.metricsWrites)
                    metrics.bind(u.pointee.userId)
                    try metrics.execute(db)
                }
            }
        }
    }

    /// Inserts `count` rows in order, ``rowsPerInsert`` per statement (then 10, then 1, so that a few statements
    /// serve every count); `bind` binds row `i`'s values in column order.
    private func insertRows(
        _ db: Database, table: String, columns: [String], count: Int, bind: (Int, RawStatement) -> Void
    ) throws {
        var start = 0
        while start < count {
            let left = count - start
            let n = left >= Self.rowsPerInsert ? Self.rowsPerInsert : left >= 10 ? 10 : 1
            let key = InsertShape(table: table, rows: n)
            let statement: RawStatement
            if let prepared = writeBehind.inserts[key] {
                statement = prepared
            } else {
                // The text is built once per shape: joining it for every statement cost 2.6% of a SQLite run.
                let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
                let sql =
                    "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                    + Array(repeating: row, count: n).joined(separator: ", ")
                statement = try RawStatement(db, sql: sql)
                writeBehind.inserts[key] = statement
            }
            for i in start..<start + n { bind(i, statement) }
            try statement.execute(db)
            start += n
        }
    }

    /// The flush's prepared statements and how many times SQLite compiled them again in all (0 unless something
    /// expired them: ``SQLiteStore/read(_:)`` must not).
    var flushStatementCompilations: (statements: Int, recompilations: Int) {
        let all = Array(writeBehind.statements.values) + Array(writeBehind.inserts.values)
        return (all.count, all.reduce(0) { $0 + $1.recompilations })
    }

    /// The flush's prepared statement for `sql`.
    private func rawStatement(_ db: Database, _ sql: String) throws -> RawStatement {
        if let statement = writeBehind.statements[sql] { return statement }
        let statement = try RawStatement(db, sql: sql)
        writeBehind.statements[sql] = statement
        return statement
    }

    // MARK: Users in the buffer

    /// Buffers a new user (the caller validated the times). Throws ``EngineError/duplicateUser(_:)`` when the user
    /// or the assignment id is buffered or stored.
    func bufferAssignment(
        _ db: Database, _ a: Assignment, variant: String, steps: [String], assignedAt: String, lastUpdated: String
    ) throws -> UserHandle? {
        if writeBehind.storedUserIds != nil && writeBehind.storedAssignmentIds != nil {
            // Every stored and buffered id is in the sets.
            guard writeBehind.storedUserIds?.insert(a.userId).inserted == true else {
                throw EngineError.duplicateUser(a.userId)
            }
            guard writeBehind.storedAssignmentIds?.insert(a.id).inserted == true else {
                writeBehind.storedUserIds?.remove(a.userId)
                throw EngineError.duplicateUser(a.userId)
            }
        } else {
            if writeBehind.rowids[a.userId] != nil || writeBehind.insertedIds.contains(a.id) {
                throw EngineError.duplicateUser(a.userId)
            }
            let stored = try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM onboarding_flow_assignments WHERE user_id = ? OR id = ?)"),
                arguments: [a.userId, a.id])
            if stored == true { throw EngineError.duplicateUser(a.userId) }
            writeBehind.insertedIds.insert(a.id)
        }
        if writeBehind.nextRowid == nil {
            let max = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM onboarding_flow_assignments") ?? 0
            // At the largest rowid SQLite picks a random one: leave that to the SQL path.
            guard max < Int64.max else { return nil }
            writeBehind.nextRowid = max + 1
        }
        guard let rowid = writeBehind.nextRowid, rowid < Int64.max else { return nil }
        writeBehind.nextRowid = rowid + 1
        let stepOrderText = writeBehind.stepOrderText(steps)
        let group = writeBehind.group(persona: a.persona, stepOrderText: stepOrderText, variant: variant)
        let user = BufferedUser(
            rowid: rowid, isNew: true, group: group, id: a.id, userId: a.userId, persona: a.persona, flowId: a.flowId,
            assignedAt: a.assignedAt, assignedAtText: assignedAt, mode: a.mode, activated7d: false,
            retained30d: false, upgraded: false, lastUpdated: a.lastUpdated, lastUpdatedText: lastUpdated,
            assignmentWrites: 0, variant: variant, steps: steps, stepOrderText: stepOrderText,
            completedPlain: true, completed: [], completedText: "[]", startedAtText: assignedAt,
            stateUpdatedAtText: assignedAt,
            stateWrites: 0, metricsActivated7d: false, metricsRetained30d: false, metricsUpgraded: false,
            timeToFirstWinMinutes: nil, firstAhaMomentAt: nil, firstAhaMomentAtText: nil, activationEvent: nil,
            completionRate: 0, createdAt: a.assignedAt, createdAtText: assignedAt, metricsUpdatedAt: a.assignedAt,
            metricsUpdatedAtText: assignedAt, metricsWrites: 0)
        let slot = writeBehind.users.add(user)
        writeBehind.rowids[a.userId] = rowid
        writeBehind.inserted.append(slot)
        return remember(rowid: rowid, userId: a.userId)
    }

    /// What the buffer knows of a user.
    enum BufferedLookup: Equatable {
        /// The user's rows are in ``WriteBehind/users``, at this slot.
        case cached(Int)
        /// No assignment row with that rowid.
        case missing
        /// Rows the Swift path cannot reproduce exactly (missing state or metrics row, JSON not as SQLite writes
        /// it, a value of an unexpected type): the operation takes the SQL path.
        case irregular
    }

    /// Makes sure a user's rows are in the cache, reading them once when they are not.
    func lookUpBuffered(_ db: Database, _ user: UserHandle) throws -> BufferedLookup {
        let rowid = Int64(user.raw)
        if let slot = writeBehind.users.slot(rowid) { return .cached(slot) }
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.id, a.user_id, a.persona, a.flow_id, a.assigned_at, a.mode, a.activated_7d, a.retained_30d,
                               a.upgraded, a.last_updated, a.engine_writes,
                               s.step_order, s.completed_steps, s.started_at, s.updated_at, s.engine_writes,
                               m.activated_7d, m.retained_30d, m.upgraded, m.time_to_first_win_minutes,
                               m.first_aha_moment_at, m.activation_event, m.completion_rate, m.created_at, m.updated_at,
                               m.engine_writes, m.user_id, p.chosen_variant
                          FROM onboarding_flow_assignments a
                          LEFT JOIN onboarding_journey_state s ON s.user_id = a.user_id
                          LEFT JOIN onboarding_journey_metrics m ON m.user_id = a.user_id
                          LEFT JOIN onboarding_personalization p ON p.user_id = a.user_id
                         WHERE a.rowid = ?
                        """), arguments: [rowid])
        else { return .missing }
        guard var cached = Self.bufferedUser(rowid: rowid, row: row, stepsCache: &stepsCache) else {
            return .irregular
        }
        cached.group = writeBehind.group(
            persona: cached.persona, stepOrderText: cached.stepOrderText, variant: cached.variant)
        let slot = writeBehind.users.add(cached)
        writeBehind.rowids[cached.userId] = rowid
        _ = remember(rowid: rowid, userId: cached.userId)
        return .cached(slot)
    }

    /// A stored user's rows, or nil when any is missing or not exactly reproducible by the Swift path.
    private static func bufferedUser(rowid: Int64, row: Row, stepsCache: inout [String: [String]]) -> BufferedUser? {
        func value(_ i: Int) -> DatabaseValue { row[i] }
        func text(_ i: Int) -> String? {
            if case .string(let s) = value(i).storage { return s } else { return nil }
        }
        func integer(_ i: Int) -> Int64? {
            if case .int64(let v) = value(i).storage { return v } else { return nil }
        }
        func flag(_ i: Int) -> Bool? {
            switch integer(i) {
            case 0: return false
            case 1: return true
            default: return nil
            }
        }
        func time(_ i: Int) -> (Minute, String)? {
            guard let t = text(i), let minute = Clock.minute(iso8601: t) else { return nil }
            return (minute, t)
        }
        guard let id = text(0), let userId = text(1), let persona = text(2), let flowId = text(3),
            let assignedAt = time(4), let modeText = text(5), let mode = AssignmentMode(rawValue: modeText),
            let activated = flag(6), let retained = flag(7), let upgraded = flag(8), let lastUpdated = time(9),
            let assignmentWrites = integer(10),
            let stepOrderText = text(11), let completedText = text(12), let startedAt = text(13),
            let stateUpdatedAt = text(14), let stateWrites = integer(15),
            let mActivated = flag(16), let mRetained = flag(17), let mUpgraded = flag(18),
            let createdAt = time(23), let metricsUpdatedAt = time(24), let metricsWrites = integer(25),
            text(26) == userId, let variant = text(27),
            // Canonical, so that comparing minutes is comparing the stored text (`windowTotals`).
            Clock.iso8601(assignedAt.0) == assignedAt.1
        else { return nil }
        // The step order: any JSON array of strings (its element count is what SQLite's completion rate uses).
        let steps: [String]
        if let cached = stepsCache[stepOrderText] {
            steps = cached
        } else {
            guard let parsed = JSONValue.parseStringArray(stepOrderText) else { return nil }
            stepsCache[stepOrderText] = parsed
            steps = parsed
        }
        // The completed steps: plain strings in SQLite's own rendering, so that appending one in Swift gives
        // the text `json_insert` gives (else `markStepCompleted` takes the SQL path).
        let parsedCompleted = JSONValue.parseStringArray(completedText)
        let completedPlain =
            parsedCompleted.map { $0.allSatisfy(isPlainJSONString) && renderPlainJSONArray($0) == completedText }
            ?? false
        var timeToFirstWin: Int?
        switch value(19).storage {
        case .null: timeToFirstWin = nil
        case .int64(let v): timeToFirstWin = Int(v)
        default: return nil
        }
        var firstAha: (Minute, String)?
        if !value(20).isNull {
            guard let t = time(20) else { return nil }
            firstAha = t
        }
        var activationEvent: String?
        if !value(21).isNull {
            guard let e = text(21) else { return nil }
            activationEvent = e
        }
        guard case .double(let completionRate) = value(22).storage else { return nil }
        return BufferedUser(
            rowid: rowid, isNew: false, group: 0, id: id, userId: userId, persona: persona, flowId: flowId,
            assignedAt: assignedAt.0, assignedAtText: assignedAt.1, mode: mode, activated7d: activated,
            retained30d: retained, upgraded: upgraded, lastUpdated: lastUpdated.0, lastUpdatedText: lastUpdated.1,
            assignmentWrites: assignmentWrites, variant: variant, steps: steps, stepOrderText: stepOrderText,
            completedPlain: completedPlain, completed: parsedCompleted ?? [], completedText: completedText,
            startedAtText: startedAt,
            stateUpdatedAtText: stateUpdatedAt, stateWrites: stateWrites, metricsActivated7d: mActivated,
            metricsRetained30d: mRetained, metricsUpgraded: mUpgraded, timeToFirstWinMinutes: timeToFirstWin,
            firstAhaMomentAt: firstAha?.0, firstAhaMomentAtText: firstAha?.1, activationEvent: activationEvent,
            completionRate: completionRate, createdAt: createdAt.0, createdAtText: createdAt.1,
            metricsUpdatedAt: metricsUpdatedAt.0, metricsUpdatedAtText: metricsUpdatedAt.1,
            metricsWrites: metricsWrites)
    }

    /// A string SQLite's JSON functions and ``JSONValue`` both write as itself between quotes: printable ASCII
    /// without `"` and `\`.
    static func isPlainJSONString(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// `["a","b"]`: the text SQLite's `json_insert` gives for an array of plain strings.
    static func renderPlainJSONArray(_ items: [String]) -> String {
        "[" + items.map { "\"" + $0 + "\"" }.joined(separator: ",") + "]"
    }

    /// Marks a cached user as changed (queued for the flush's UPDATEs when it is already stored).
    func touch(_ slot: Int) {
        guard !writeBehind.users[slot: slot].isNew, !writeBehind.users[slot: slot].queuedForUpdate else { return }
        writeBehind.users[slot: slot].queuedForUpdate = true
        writeBehind.updated.append(slot)
    }

    /// Leaves the buffer for the SQL path: writes every buffered row and forgets the user's cached rows, so the
    /// SQL statement that follows sees and changes the stored rows.
    func leaveBuffer(_ db: Database, _ user: UserHandle) throws {
        try flushWriteBehind(db)
        writeBehind.userWrites += 1
        let rowid = Int64(user.raw)
        guard writeBehind.users.slot(rowid) != nil else { return }
        writeBehind.forget(rowid)
        writeBehind.left = (rowid, writeBehind.completeAfter)
        writeBehind.completeAfter = nil
    }

    /// After the SQL path: reads the user that left the cache back into it (the cache is complete again when the
    /// rows are reproducible).
    func returnToBuffer(_ user: UserHandle) {
        guard writeBehind.active, let db = current, let left = writeBehind.left, left.rowid == Int64(user.raw)
        else { return }
        writeBehind.left = nil
        if case .cached = (try? lookUpBuffered(db, user)) { writeBehind.completeAfter = left.completeAfter }
    }
}

// MARK: Operations on buffered users
//
// Each returns false when the operation must take the SQL path (the buffer is then written and the user's cached
// rows forgotten); it throws the errors the SQL path throws, in the same order. Rows are changed in place.
extension SQLiteStore {
    /// The error the SQL path throws for a handle with no assignment row: the id when this store knew it.
    private func unknown(_ user: UserHandle) -> EngineError {
        EngineError.unknownUser(userIds[Int64(user.raw)] ?? user.description)
    }

    /// The slot of a user's cached rows; nil after sending the user to the SQL path. For a handle without rows,
    /// `missing` throws (or returns true when the SQL path does nothing).
    private func slotForChange(_ db: Database, _ user: UserHandle, missing: () throws -> Bool) throws -> Int?? {
        switch try lookUpBuffered(db, user) {
        case .cached(let slot): return .some(slot)
        case .missing: return try missing() ? .some(nil) : nil
        case .irregular:
            try leaveBuffer(db, user)
            return nil
        }
    }

    func bufferedApplyOutcome(_ db: Database, _ user: UserHandle, update: OutcomeUpdate, at: Minute) throws -> Bool {
        guard
            let found = try slotForChange(
                db, user,
                missing: {
                    guard userIds[Int64(user.raw)] != nil else { throw unknown(user) }
                    _ = try SQLTime.text(at)
                    _ = try SQLTime.text(update.firstWin?.at)
                    throw unknown(user)
                })
        else { return false }
        guard let slot = found else { return true }
        let atText = try timeText(at)
        let firstWinAt = try update.firstWin.map { try timeText($0.at) }
        if update.setActivated7d || update.setRetained30d || update.setUpgraded {
            modify(slot) { u in
                u.activated7d = u.activated7d || update.setActivated7d
                u.retained30d = u.retained30d || update.setRetained30d
                u.upgraded = u.upgraded || update.setUpgraded
                u.lastUpdated = at
                u.lastUpdatedText = atText
                u.assignmentWrites += 1
                u.assignmentChanged = true
            }
        }
        modify(slot) { u in
            u.metricsActivated7d = u.metricsActivated7d || update.setActivated7d
            u.metricsRetained30d = u.metricsRetained30d || update.setRetained30d
            u.metricsUpgraded = u.metricsUpgraded || update.setUpgraded
            if u.timeToFirstWinMinutes == nil { u.timeToFirstWinMinutes = update.firstWin?.minutes }
            if u.firstAhaMomentAtText == nil {
                u.firstAhaMomentAt = update.firstWin?.at
                u.firstAhaMomentAtText = firstWinAt
            }
            if u.activationEvent == nil { u.activationEvent = update.firstWin?.event }
            u.metricsUpdatedAt = at
            u.metricsUpdatedAtText = atText
            u.metricsWrites += 1
            u.metricsChanged = true
        }
        touch(slot)
        return true
    }

    func bufferedAppendEvent(_ db: Database, _ user: UserHandle, eventType: String, at: Minute, metadata: String?)
        throws -> Bool
    {
        guard
            let found = try slotForChange(
                db, user,
                missing: {
                    guard userIds[Int64(user.raw)] != nil else { throw unknown(user) }
                    _ = try SQLTime.text(at)
                    throw unknown(user)
                })
        else { return false }
        guard let slot = found else { return true }
        writeBehind.events.append(
            BufferedEvent(
                userId: writeBehind.users[slot: slot].userId, eventType: eventType, occurredAt: try timeText(at),
                metadata: metadata))
        return true
    }

    func bufferedMarkStepCompleted(_ db: Database, _ user: UserHandle, step: String, at: Minute) throws -> Bool {
        guard
            let found = try slotForChange(
                db, user,
                missing: {
                    // The SQL path's UPDATE finds no row: nothing happens for a user this store knew.
                    guard userIds[Int64(user.raw)] != nil else { throw unknown(user) }
                    _ = try SQLTime.text(at)
                    return true
                })
        else { return false }
        guard let slot = found else { return true }
        let atText = try timeText(at)
        if writeBehind.users[slot: slot].completed.contains(step) { return true }
        // A step SQLite would escape, or a rate SQLite computes as NULL (an empty step order): the SQL path.
        guard writeBehind.users[slot: slot].completedPlain, Self.isPlainJSONString(step),
            !writeBehind.users[slot: slot].steps.isEmpty
        else {
            try leaveBuffer(db, user)
            return false
        }
        modify(slot) { u in
            u.completed.append(step)
            if u.completed.count == 1 {
                u.completedText = "[\"" + step + "\"]"
            } else {
                u.completedText.removeLast()
                u.completedText += ",\"" + step + "\"]"
            }
            u.stateUpdatedAtText = atText
            u.stateWrites += 1
            u.stateChanged = true
            u.completionRate = Double(u.completed.count) / Double(u.steps.count)
            u.metricsUpdatedAt = at
            u.metricsUpdatedAtText = atText
            u.metricsWrites += 1
            u.metricsChanged = true
        }
        touch(slot)
        return true
    }

    func bufferedRewriteStepOrder(_ db: Database, _ user: UserHandle, steps: [String], at: Minute) throws -> Bool {
        guard
            let found = try slotForChange(
                db, user,
                missing: {
                    guard userIds[Int64(user.raw)] != nil else { throw unknown(user) }
                    _ = try SQLTime.text(at)
                    throw unknown(user)
                })
        else { return false }
        guard let slot = found else { return true }
        let atText = try timeText(at)
        let stepOrderText = writeBehind.stepOrderText(steps)
        let group = writeBehind.group(
            persona: writeBehind.users[slot: slot].persona, stepOrderText: stepOrderText,
            variant: writeBehind.users[slot: slot].variant)
        modify(slot) { u in
            u.steps = steps
            u.stepOrderText = stepOrderText
            u.group = group
            u.completedPlain = true
            u.completed = []
            u.completedText = "[]"
            u.stateUpdatedAtText = atText
            u.stateWrites += 1
            u.stateChanged = true
            u.completionRate = 0
            u.metricsUpdatedAt = at
            u.metricsUpdatedAtText = atText
            u.metricsWrites += 1
            u.metricsChanged = true
        }
        touch(slot)
        return true
    }

    /// `SQLTime.text(at)`, the last one remembered: an event, its step and its outcome share one minute (and one
    /// string).
    private func timeText(_ at: Minute) throws -> String {
        if let last = writeBehind.lastTime, last.minute == at { return last.text }
        let text = try SQLTime.text(at)
        writeBehind.lastTime = (at, text)
        return text
    }

    /// Changes a cached user's rows in place.
    private func modify(_ slot: Int, _ change: (inout BufferedUser) -> Void) {
        change(&writeBehind.users[slot: slot])
    }
}
