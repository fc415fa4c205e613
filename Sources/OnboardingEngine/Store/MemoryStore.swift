/// The engine's fast, in-memory twin of the SQLite store (SPEC §1.9).
///
/// It keeps only what the learning window and pending outcomes need: users are dropped by ``compact(now:settings:)``
/// once they are older than both the window and ``outcomeRetentionMinutes``; `onboarding_events` are counted, not
/// kept. Patterns, settings, jobs and orchestrator events are kept in full. For the same calls it returns exactly
/// what `SQLiteStore` returns (the conformance suite checks it).
///
/// `transaction` snapshots the small state (settings, personas, policy states, patterns, jobs, events; copy-on-write) and keeps
/// an undo log of user-record changes, so rolling back costs O(what the body changed), never O(users).
public final class MemoryStore: EngineStore {
    /// How long after assignment a user's outcomes may still arrive (default 31 days: retention is decided at day 30).
    public let outcomeRetentionMinutes: Minute

    /// One held user (104 bytes: names interned as 32-bit indices into the store's tables, fields ordered so
    /// nothing is padded).
    struct UserRecord {
        var userId: String
        var persona: Int32
        var flowId: Int32
        var stepsIndex: Int32
        /// The ``WindowIndex`` slot of (persona, steps).
        var windowSlot: Int32
        var variant: Int32
        var activationEvent: Int32 = -1
        var assignedAt: Minute
        var timeToFirstWin: Minute = -1
        var firstAhaAt: Minute = -1
        var lastUpdated: Minute
        var metricsUpdated: Minute
        /// Completed steps by position: a bit each for the first 64, a list beyond (long flows are rare).
        var completedMask: UInt64 = 0
        var completedBeyond64: [Int]?
        var completedCount: Int16 = 0
        var mode: AssignmentMode
        var activated7d = false
        var retained30d = false
        var upgraded = false
    }

    struct State {
        var settings = EngineSettings()
        var personas: [String: PersonaConfig] = [:]
        var policyStates: [String: PersonaPolicyState] = [:]
        var patterns: [String: FlowPattern] = [:]  // key: flowId
        var jobs: [LearningJob] = []
        var events: [OrchestratorEvent] = []
        var eventCount = 0
        // Per-user state: never snapshotted, changed through `mutateUser` / `appendUser` (undo-logged).
        var users = ChunkedDeque<UserRecord>()
        var firstUser = 0  // sequence number of users[0]
        var trend: [Int: (total: Int, activated: Int)] = [:]
    }

    enum Undo {
        case user(position: Int, record: UserRecord)
        case appendedUser(userId: String)
        case trend(day: Int, value: (total: Int, activated: Int)?)
    }

    var state = State()
    private var undoLog: [Undo] = []
    /// Derived from `state.users` (kept in step by every mutation and rollback); not part of the snapshot.
    private var window = WindowIndex()
    /// userId → sequence number, for the users in `state.users` (kept in step with it like `window`).
    private var userIndex = UserIndex()
    // Interning tables only grow; they are not part of the rollback state (an interned name is harmless).
    private var strings = InternTable<String>()
    private var stepTable = InternTable<[String]>()
    private var recentPersonas: [Int32] = []
    private var recentVariants: [Int32] = []
    private var recentFlowIds: [Int32] = []
    private var recentSteps: [Int32] = []
    private var transactionDepth = 0

    public init(outcomeRetentionMinutes: Minute = 31 * Clock.minutesPerDay) {
        self.outcomeRetentionMinutes = outcomeRetentionMinutes
    }

    /// Users currently held (after compaction).
    public var userCount: Int { state.users.count }

    /// The position in `state.users` of a held user.
    @inline(__always)
    private func position(_ user: UserHandle) -> Int? {
        let position = user.raw - state.firstUser
        return position >= 0 && position < state.users.count ? position : nil
    }

    private func existingPosition(_ user: UserHandle) throws -> Int {
        guard let i = position(user) else { throw EngineError.unknownUser(user.description) }
        return i
    }

    // MARK: Settings and personas

    public func loadSettings() throws -> EngineSettings { state.settings }

    public func saveSettings(_ settings: EngineSettings, at: Minute) throws {
        state.settings = settings
        for key in state.patterns.keys {
            guard var p = state.patterns[key] else { continue }
            p.winScore = WinScore.score(
                winRate7d: p.winRate7d, winRate30d: p.winRate30d, avgMinutes: p.avgTimeToFirstWinMinutes,
                weights: settings.weights, horizon: settings.speedHorizonMinutes)
            p.updatedAt = at
            state.patterns[key] = p
        }
    }

    public func personaConfigs() throws -> [PersonaConfig] {
        state.personas.keys.sorted().compactMap { state.personas[$0] }
    }

    public func savePersonaConfig(_ config: PersonaConfig) throws { state.personas[config.persona] = config }

    public func personaPolicyStates() throws -> [PersonaPolicyState] {
        state.policyStates.keys.sorted().compactMap { state.policyStates[$0] }
    }

    public func savePersonaPolicyState(_ policyState: PersonaPolicyState) throws {
        state.policyStates[policyState.persona] = policyState
    }

    // MARK: Patterns

    public func patterns(persona: String?) throws -> [FlowPattern] {
        var result = state.patterns.values.filter { persona == nil || $0.persona == persona }
        result.sort { ($0.persona, $0.flowId) < ($1.persona, $1.flowId) }
        return result
    }

    public func upsertPattern(_ stats: FlowStats, observedAt: Minute?, at: Minute) throws -> FlowPattern {
        let score = WinScore.score(stats, settings: state.settings)
        var p =
            state.patterns[stats.flowId]
            ?? FlowPattern(
                id: FlowID.stableUUID("pattern:" + stats.flowId), persona: stats.persona, flowId: stats.flowId,
                steps: stats.steps,
                winRate7d: 0, winRate30d: 0, avgTimeToFirstWinMinutes: nil, sampleSize: 0, winScore: 0,
                explorationPriority: 0,
                suggestedVariant: nil, isChampion: false, lastChampionAt: nil, electedWinScore: nil,
                lastObservedAt: nil,
                createdAt: at, updatedAt: at)
        p.steps = stats.steps
        p.winRate7d = stats.winRate7d
        p.winRate30d = stats.winRate30d
        p.avgTimeToFirstWinMinutes = stats.avgTimeToFirstWinMinutes
        p.sampleSize = stats.sampleSize
        p.explorationPriority = stats.explorationPriority
        p.suggestedVariant = stats.suggestedVariant
        p.winScore = score
        if let observedAt { p.lastObservedAt = observedAt }
        p.updatedAt = at
        state.patterns[stats.flowId] = p
        return p
    }

    public func setChampion(
        persona: String, flowId: String, isChampion: Bool, lastChampionAt: Minute?, electedWinScore: Double?, at: Minute
    ) throws {
        guard var p = state.patterns[flowId], p.persona == persona else {
            throw EngineError.store("no pattern \(flowId) for persona \(persona)")
        }
        p.isChampion = isChampion
        p.lastChampionAt = lastChampionAt
        p.electedWinScore = electedWinScore
        p.updatedAt = at
        state.patterns[flowId] = p
    }

    // MARK: Users

    public func insertAssignment(_ a: Assignment, variant: String, steps: [String]) throws -> UserHandle {
        let seq = state.firstUser + state.users.count
        guard userIndex.insert(a.userId, seq: seq, idOf: userId(seq:)) == nil else {
            throw EngineError.duplicateUser(a.userId)
        }
        if transactionDepth > 0 { undoLog.append(.appendedUser(userId: a.userId)) }
        let persona = strings.intern(a.persona, recent: &recentPersonas)
        let stepsIndex = stepTable.intern(steps, recent: &recentSteps)
        state.users.append(
            UserRecord(
                userId: a.userId, persona: persona, flowId: strings.intern(a.flowId, recent: &recentFlowIds),
                stepsIndex: stepsIndex, windowSlot: window.slot(WindowIndex.Key(persona: persona, steps: stepsIndex)),
                variant: strings.intern(variant, recent: &recentVariants), assignedAt: a.assignedAt,
                lastUpdated: a.lastUpdated, metricsUpdated: a.assignedAt, mode: a.mode))
        window.add(state.users[state.users.count - 1])
        let day = Clock.day(of: a.assignedAt)
        logTrend(day)
        state.trend[day, default: (0, 0)].total += 1
        return UserHandle(seq)
    }

    public func handle(of userId: String) throws -> UserHandle? {
        userIndex.find(userId, idOf: self.userId(seq:)).map(UserHandle.init)
    }

    /// The id of a held user by sequence number.
    private func userId(seq: Int) -> String { state.users[seq - state.firstUser].userId }

    public func userId(of user: UserHandle) throws -> String? { position(user).map { state.users[$0].userId } }

    @inline(__always)
    private func logUser(_ i: Int) {
        if transactionDepth > 0 { undoLog.append(.user(position: i, record: state.users[i])) }
    }

    @inline(__always)
    private func logTrend(_ day: Int) {
        if transactionDepth > 0 { undoLog.append(.trend(day: day, value: state.trend[day])) }
    }

    public func assignment(_ user: UserHandle) throws -> Assignment? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        return Assignment(
            id: u.userId, userId: u.userId, persona: strings[u.persona], flowId: strings[u.flowId],
            assignedAt: u.assignedAt,
            mode: u.mode, activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
            lastUpdated: u.lastUpdated)
    }

    public func journeyContext(_ user: UserHandle) throws -> JourneyContext? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        return JourneyContext(
            persona: strings[u.persona], steps: stepTable[u.stepsIndex], assignedAt: u.assignedAt)
    }

    public func journeyMetrics(_ user: UserHandle) throws -> JourneyMetrics? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        let total = stepTable[u.stepsIndex].count
        return JourneyMetrics(
            userId: u.userId, activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
            timeToFirstWinMinutes: u.timeToFirstWin >= 0 ? u.timeToFirstWin : nil,
            firstAhaMomentAt: u.firstAhaAt >= 0 ? u.firstAhaAt : nil,
            activationEvent: u.activationEvent >= 0 ? strings[u.activationEvent] : nil,
            completionRate: total > 0 ? Double(u.completedCount) / Double(total) : 0,
            createdAt: u.assignedAt, updatedAt: u.metricsUpdated)
    }

    public func applyOutcome(_ user: UserHandle, update: OutcomeUpdate, at: Minute) throws {
        let i = try existingPosition(user)
        let event = update.firstWin.map { strings.intern($0.event) }
        logUser(i)
        let before = state.users[i]
        state.users[i].applying(update, event: event, at: at)
        if update.setActivated7d || update.setRetained30d || update.firstWin != nil {
            window.replace(before, with: state.users[i])
        }
        if update.setActivated7d {
            logTrend(Clock.day(of: state.users[i].assignedAt))
            state.trend[Clock.day(of: state.users[i].assignedAt), default: (0, 0)].activated += 1
        }
    }

    /// The memory store keeps no `onboarding_events` rows (it counts nothing it does not need).
    public func appendEvent(_ user: UserHandle, eventType: String, at: Minute, metadata: String?) throws {
        _ = try existingPosition(user)
    }

    public func markStepCompleted(_ user: UserHandle, step: String, at: Minute) throws {
        let i = try existingPosition(user)
        let steps = stepTable[state.users[i].stepsIndex]
        guard let k = steps.firstIndex(of: step) else { return }
        if k < 64 {
            let bit: UInt64 = 1 << UInt64(k)
            guard state.users[i].completedMask & bit == 0 else { return }
            logUser(i)
            state.users[i].completedMask |= bit
        } else {
            guard state.users[i].completedBeyond64?.contains(k) != true else { return }
            logUser(i)
            state.users[i].completedBeyond64 = (state.users[i].completedBeyond64 ?? []) + [k]
        }
        state.users[i].completedCount += 1
        state.users[i].metricsUpdated = at
    }

    public func rewriteStepOrder(_ user: UserHandle, steps: [String], at: Minute) throws {
        let i = try existingPosition(user)
        logUser(i)
        window.remove(state.users[i])
        let stepsIndex = stepTable.intern(steps, recent: &recentSteps)
        state.users[i].stepsIndex = stepsIndex
        state.users[i].windowSlot = window.slot(WindowIndex.Key(persona: state.users[i].persona, steps: stepsIndex))
        state.users[i].completedMask = 0
        state.users[i].completedBeyond64 = nil
        state.users[i].completedCount = 0
        window.add(state.users[i])
    }
    public func recentJourneys(since: Minute) throws -> [Journey] {
        var result: [Journey] = []
        for u in state.users where u.assignedAt > since {
            result.append(
                Journey(
                    userId: u.userId, persona: strings[u.persona], steps: stepTable[u.stepsIndex],
                    assignedAt: u.assignedAt,
                    activated7d: u.activated7d, retained30d: u.retained30d,
                    timeToFirstWinMinutes: u.timeToFirstWin >= 0 ? u.timeToFirstWin : nil,
                    variant: strings[u.variant]))
        }
        return result
    }

    public func windowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]? {
        typealias Key = WindowIndex.Key
        var groups: [Key: FlowAccumulator<Int32>]
        if let indexed = window.accumulate(since: since, now: now) {
            groups = indexed
        } else {
            groups = [:]
            for u in state.users where u.assignedAt > since {
                groups[Key(persona: u.persona, steps: u.stepsIndex), default: FlowAccumulator<Int32>()].add(
                    assignedAt: u.assignedAt, activated7d: u.activated7d, retained30d: u.retained30d,
                    timeToFirstWin: u.timeToFirstWin >= 0 ? u.timeToFirstWin : nil, variant: u.variant, now: now)
            }
        }
        return groups.map { key, acc in
            FlowWindowTotals(
                persona: strings[key.persona], steps: stepTable[key.steps],
                totals: acc.mapVariants { strings[$0] })
        }
    }

    /// One user event or outcome: the memory store's single-row writes are atomic already, and operations
    /// validate before they write.
    public func atomically<T>(_ body: () throws -> T) throws -> T { try body() }

    public func activationTrend(days: ClosedRange<Int>) throws -> [TrendPoint] {
        state.trend.keys.filter { days.contains($0) }.sorted().compactMap { day in
            state.trend[day].map { TrendPoint(day: day, total: $0.total, activated: $0.activated) }
        }
    }

    // MARK: Jobs and events

    public func jobCount() throws -> Int { state.jobs.count }

    public func insertJob(_ job: LearningJob) throws { state.jobs.append(job) }

    public func updateJob(_ job: LearningJob) throws {
        guard let i = state.jobs.lastIndex(where: { $0.id == job.id }) else {
            throw EngineError.store("no job \(job.id)")
        }
        state.jobs[i] = job
    }

    public func jobs() throws -> [LearningJob] { state.jobs }

    public func appendOrchestratorEvent(type: OrchestratorEventType, persona: String?, payload: String, at: Minute)
        throws
    {
        state.events.append(
            OrchestratorEvent(
                id: FlowID.stableUUID("event:\(state.eventCount)"), eventType: type.rawValue, persona: persona,
                payload: payload, occurredAt: at))
        state.eventCount += 1
    }

    public func orchestratorEvents() throws -> [OrchestratorEvent] { state.events }

    // MARK: Transactions and compaction

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let snapshot = (
            state.settings, state.personas, state.policyStates, state.patterns, state.jobs, state.events,
            state.eventCount
        )
        let undoMark = undoLog.count
        transactionDepth += 1
        defer {
            transactionDepth -= 1
            if transactionDepth == 0 { undoLog.removeAll(keepingCapacity: true) }
        }
        do {
            return try body()
        } catch {
            (
                state.settings, state.personas, state.policyStates, state.patterns, state.jobs, state.events,
                state.eventCount
            ) = snapshot
            while undoLog.count > undoMark {
                switch undoLog.removeLast() {
                case .user(let position, let record):
                    window.remove(state.users[position])
                    state.users[position] = record
                    window.add(record)
                case .appendedUser(let userId):
                    userIndex.remove(userId, seq: state.firstUser + state.users.count - 1)
                    window.remove(state.users.removeLast())
                case .trend(let day, let value): state.trend[day] = value
                }
            }
            throw error
        }
    }

    public func compact(now: Minute, settings: EngineSettings) throws {
        // Positions recorded in the undo log would shift: compact only outside transactions.
        guard transactionDepth == 0 else { return }
        let cutoff = now - max(settings.windowMinutes, outcomeRetentionMinutes)
        var drop = 0
        while drop < state.users.count, state.users[drop].assignedAt <= cutoff { drop += 1 }
        guard drop > 0 else { return }
        for k in 0..<drop {
            userIndex.remove(state.users[k].userId, seq: state.firstUser + k)
            window.remove(state.users[k])
        }
        state.users.removeFirst(drop)
        state.firstUser += drop
    }
}

extension MemoryStore.UserRecord {
    mutating func applying(_ update: OutcomeUpdate, event: Int32?, at: Minute) {
        if update.setActivated7d { activated7d = true }
        if update.setRetained30d { retained30d = true }
        if update.setUpgraded { upgraded = true }
        if let win = update.firstWin, let event {
            timeToFirstWin = win.minutes
            firstAhaAt = win.at
            activationEvent = event
        }
        if update.setActivated7d || update.setRetained30d || update.setUpgraded { lastUpdated = at }
        metricsUpdated = at
    }
}
