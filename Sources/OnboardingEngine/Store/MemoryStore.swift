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

    /// One held user: 32 bytes, plus its id (16 bytes) in `State.userIds`, apart so that a record is plain data
    /// and copying one retains nothing. Names are interned: the persona, flow id, presented steps, window group and
    /// variant together as one ``Profile`` index; times after the assignment are 32-bit offsets from it. What
    /// does not pack (an offset beyond 32 bits, a first win whose moment is not assignment + time to win, an
    /// activation event past the 16-bit index range) is kept exactly in `State.exactDetails`, marked by
    /// ``Flags/irregular``; completed step positions past 32 in `State.completedBeyondMask`.
    struct UserRecord {
        var assignedAt: Minute
        /// Completed steps by position: a bit each for the first 32 (positions beyond: `State.completedBeyondMask`).
        var completedMask: UInt32 = 0
        var profile: Int32
        /// Minutes from assignment to the first win (with ``Flags/firstWin``); its moment is assignment + this.
        var timeToFirstWin: Int32 = 0
        var lastUpdatedOffset: Int32 = 0
        var metricsUpdatedOffset: Int32 = 0
        /// The activation event of the first win (an index into the store's names), −1 for none.
        var activationEvent: Int16 = -1
        var mode: AssignmentMode
        var flags: Flags = []

        struct Flags: OptionSet {
            let rawValue: UInt8
            static let activated7d = Flags(rawValue: 1)
            static let retained30d = Flags(rawValue: 2)
            static let upgraded = Flags(rawValue: 4)
            static let firstWin = Flags(rawValue: 8)
            /// The details are in `State.exactDetails` (the packed fields above are not used).
            static let irregular = Flags(rawValue: 16)
        }

        var activated7d: Bool { flags.contains(.activated7d) }
        var retained30d: Bool { flags.contains(.retained30d) }
        var upgraded: Bool { flags.contains(.upgraded) }

        static let maskBits = 32
    }

    /// A user's details in full (what ``UserRecord`` packs).
    struct UserDetails: Equatable {
        var lastUpdated: Minute
        var metricsUpdated: Minute
        var firstWin: (minutes: Minute, at: Minute)?
        /// An index into the store's names, −1 for none.
        var activationEvent: Int32 = -1

        static func == (a: UserDetails, b: UserDetails) -> Bool {
            a.lastUpdated == b.lastUpdated && a.metricsUpdated == b.metricsUpdated
                && a.firstWin?.minutes == b.firstWin?.minutes && a.firstWin?.at == b.firstWin?.at
                && a.activationEvent == b.activationEvent
        }
    }

    /// What users of one profile share: persona, flow id, presented steps (interned) and variant, and the
    /// ``WindowIndex`` slot of (persona, steps).
    struct Profile: Hashable {
        var persona: Int32
        var flowId: Int32
        var steps: Int32
        var variant: Int32
        var windowSlot: Int32
    }

    struct State {
        var settings = EngineSettings()
        var personas: [String: PersonaConfig] = [:]
        var policyStates: [String: PersonaPolicyState] = [:]
        var patterns: [String: FlowPattern] = [:]  // key: flowId
        var jobs: [LearningJob] = []
        var events: [OrchestratorEvent] = []
        var eventCount = 0
        // Per-user state: never snapshotted, changed through `logUser` before each change (undo-logged).
        var users = ChunkedDeque<UserRecord>()
        /// The id of each user in `users`, at the same position (kept in step by every append and removal).
        var userIds = ChunkedDeque<String>()
        var firstUser = 0  // sequence number of users[0]
        /// Side tables by sequence number (rarely used; see ``UserRecord``).
        var exactDetails: [Int: UserDetails] = [:]
        var completedBeyondMask: [Int: [Int]] = [:]
        var trend = DayCounts()
    }

    enum Undo {
        case user(position: Int, record: UserRecord, times: UserDetails?, beyondMask: [Int]?)
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
    private var profiles = InternTable<Profile>()
    private var recentProfiles: [Int32] = []
    private var recentPersonas: [Int32] = []
    private var recentVariants: [Int32] = []
    private var recentFlowIds: [Int32] = []
    private var recentSteps: [Int32] = []
    private var recentEvents: [Int32] = []
    private var transactionDepth = 0
    /// Marks the tokens of this store's prepared assignments.
    private let issuer = PreparedAssignment.Issuer()

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

    @discardableResult
    public func insertAssignment(_ a: Assignment, variant: String, steps: [String]) throws -> UserHandle {
        try insertUser(
            a.userId, profile: profile(persona: a.persona, flowId: a.flowId, variant: variant, steps: steps),
            at: a.assignedAt, lastUpdated: a.lastUpdated, mode: a.mode)
    }

    /// The names interned once: the token is the profile number.
    public func prepareAssignment(persona: String, flowId: String, variant: String, steps: [String])
        -> PreparedAssignment
    {
        PreparedAssignment(
            persona: persona, flowId: flowId, variant: variant, steps: steps,
            token: Int(profile(persona: persona, flowId: flowId, variant: variant, steps: steps)), issuer: issuer)
    }

    @discardableResult
    public func insertAssignment(userId: String, _ prepared: PreparedAssignment, at: Minute, mode: AssignmentMode)
        throws -> UserHandle
    {
        // A token of this store names a profile (profiles are never removed); any other is re-interned.
        let profile =
            prepared.issuer === issuer
            ? Int32(prepared.token)
            : self.profile(
                persona: prepared.persona, flowId: prepared.flowId, variant: prepared.variant, steps: prepared.steps)
        return try insertUser(userId, profile: profile, at: at, lastUpdated: at, mode: mode)
    }

    /// Appends a new user of `profile` (both inserts end here).
    private func insertUser(_ userId: String, profile: Int32, at: Minute, lastUpdated: Minute, mode: AssignmentMode)
        throws -> UserHandle
    {
        let seq = state.firstUser + state.users.count
        guard userIndex.insert(userId, seq: seq, idOf: self.userId(seq:)) == nil else {
            throw EngineError.duplicateUser(userId)
        }
        if transactionDepth > 0 { undoLog.append(.appendedUser(userId: userId)) }
        var record = UserRecord(assignedAt: at, profile: profile, mode: mode)
        pack(UserDetails(lastUpdated: lastUpdated, metricsUpdated: at, firstWin: nil), into: &record, seq: seq)
        state.users.append(record)
        state.userIds.append(userId)
        window.add(contribution(of: record, seq: seq))
        let day = Clock.day(of: at)
        logTrend(day)
        state.trend.add(day: day, total: 1)
        return UserHandle(seq)
    }

    /// The profile of an assignment's four names, interned.
    private func profile(persona: String, flowId: String, variant: String, steps: [String]) -> Int32 {
        profileIndex(
            persona: strings.intern(persona, recent: &recentPersonas),
            flowId: strings.intern(flowId, recent: &recentFlowIds),
            steps: stepTable.intern(steps, recent: &recentSteps),
            variant: strings.intern(variant, recent: &recentVariants))
    }

    /// The profile of (persona, flow id, steps, variant), with its window slot.
    private func profileIndex(persona: Int32, flowId: Int32, steps: Int32, variant: Int32) -> Int32 {
        // Found first, moved after: swapping while the loop holds the array would copy it.
        if let k = recentProfiles.firstIndex(where: {
            let p = profiles[$0]
            return p.persona == persona && p.flowId == flowId && p.steps == steps && p.variant == variant
        }) {
            if k > 0 { recentProfiles.swapAt(0, k) }
            return recentProfiles[0]
        }
        return profiles.intern(
            Profile(
                persona: persona, flowId: flowId, steps: steps, variant: variant,
                windowSlot: window.slot(WindowIndex.Key(persona: persona, steps: steps))),
            recent: &recentProfiles)
    }

    public func handle(of userId: String) throws -> UserHandle? {
        userIndex.find(userId, idOf: self.userId(seq:)).map(UserHandle.init)
    }

    /// The id of a held user by sequence number.
    private func userId(seq: Int) -> String { state.userIds[seq - state.firstUser] }

    public func userId(of user: UserHandle) throws -> String? { position(user).map { state.userIds[$0] } }

    /// The full details of the user at position `i`.
    private func details(_ i: Int) -> UserDetails { details(of: state.users[i], seq: state.firstUser + i) }

    /// The full details of `u`, the record of user `seq`.
    private func details(of u: UserRecord, seq: Int) -> UserDetails {
        if u.flags.contains(.irregular), let exact = state.exactDetails[seq] { return exact }
        return UserDetails(
            lastUpdated: u.assignedAt + Int(u.lastUpdatedOffset),
            metricsUpdated: u.assignedAt + Int(u.metricsUpdatedOffset),
            firstWin: u.flags.contains(.firstWin)
                ? (Int(u.timeToFirstWin), u.assignedAt + Int(u.timeToFirstWin)) : nil,
            activationEvent: Int32(u.activationEvent))
    }

    /// `minute − base` when it fits in 32 bits (a packed time offset).
    private static func offset(_ minute: Minute, from base: Minute) -> Int32? {
        let (difference, overflow) = minute.subtractingReportingOverflow(base)
        return overflow ? nil : Int32(exactly: difference)
    }

    /// Packs `d` into `u` (the record of user `seq`), or keeps it in `exactDetails` when it does not pack.
    private func pack(_ d: UserDetails, into u: inout UserRecord, seq: Int) {
        let base = u.assignedAt
        func offset(_ minute: Minute) -> Int32? { Self.offset(minute, from: base) }
        var win: Int32? = 0
        if let w = d.firstWin { win = offset(w.at).flatMap { Int($0) == w.minutes ? $0 : nil } }
        if let last = offset(d.lastUpdated), let metrics = offset(d.metricsUpdated), let win,
            let event = Int16(exactly: d.activationEvent)
        {
            u.lastUpdatedOffset = last
            u.metricsUpdatedOffset = metrics
            u.timeToFirstWin = win
            u.activationEvent = event
            if u.flags.contains(.irregular) {
                u.flags.remove(.irregular)
                state.exactDetails[seq] = nil
            }
        } else {
            u.flags.insert(.irregular)
            state.exactDetails[seq] = d
        }
        if d.firstWin == nil {
            u.flags.remove(.firstWin)
        } else {
            u.flags.insert(.firstWin)
        }
    }

    /// What the user at position `i` adds to the learning window's totals.
    private func contribution(_ i: Int) -> WindowIndex.Contribution {
        contribution(of: state.users[i], seq: state.firstUser + i)
    }

    /// What `u`, the record of user `seq`, adds to the learning window's totals.
    private func contribution(of u: UserRecord, seq: Int) -> WindowIndex.Contribution {
        let profile = profiles[u.profile]
        return WindowIndex.Contribution(
            slot: profile.windowSlot, variant: profile.variant, assignedAt: u.assignedAt,
            activated7d: u.activated7d, retained30d: u.retained30d,
            timeToFirstWin: u.flags.contains(.firstWin) ? details(of: u, seq: seq).firstWin?.minutes : nil)
    }

    /// Positions of completed steps past 32 of the user at position `i`.
    private func beyondMask(_ i: Int) -> [Int]? {
        state.completedBeyondMask.isEmpty ? nil : state.completedBeyondMask[state.firstUser + i]
    }

    private func completedCount(_ i: Int) -> Int {
        state.users[i].completedMask.nonzeroBitCount + (beyondMask(i)?.count ?? 0)
    }

    @inline(__always)
    private func logUser(_ i: Int) {
        guard transactionDepth > 0 else { return }
        let u = state.users[i]
        undoLog.append(
            .user(
                position: i, record: u,
                times: u.flags.contains(.irregular) ? state.exactDetails[state.firstUser + i] : nil,
                beyondMask: beyondMask(i)))
    }

    @inline(__always)
    private func logTrend(_ day: Int) {
        if transactionDepth > 0 { undoLog.append(.trend(day: day, value: state.trend[day])) }
    }

    public func assignment(_ user: UserHandle) throws -> Assignment? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        let profile = profiles[u.profile]
        return Assignment(
            id: state.userIds[i], userId: state.userIds[i], persona: strings[profile.persona],
            flowId: strings[profile.flowId],
            assignedAt: u.assignedAt,
            mode: u.mode, activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
            lastUpdated: details(i).lastUpdated)
    }

    public func journeyContext(_ user: UserHandle) throws -> JourneyContext? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        let profile = profiles[u.profile]
        return JourneyContext(
            persona: strings[profile.persona], steps: stepTable[profile.steps], assignedAt: u.assignedAt)
    }

    public func journeyMetrics(_ user: UserHandle) throws -> JourneyMetrics? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        let total = stepTable[profiles[u.profile].steps].count
        let t = details(i)
        return JourneyMetrics(
            userId: state.userIds[i], activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
            timeToFirstWinMinutes: t.firstWin?.minutes, firstAhaMomentAt: t.firstWin?.at,
            activationEvent: t.activationEvent >= 0 ? strings[t.activationEvent] : nil,
            completionRate: total > 0 ? Double(completedCount(i)) / Double(total) : 0,
            createdAt: u.assignedAt, updatedAt: t.metricsUpdated)
    }

    public func outcomeState(_ user: UserHandle, withFirstWin: Bool) throws -> OutcomeState? {
        guard let i = position(user) else { return nil }
        let u = state.users[i]
        return OutcomeState(
            assignedAt: u.assignedAt, activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
            hasFirstWin: withFirstWin ? u.flags.contains(.firstWin) : nil)
    }

    public func eventContext(_ user: UserHandle, event: String) throws -> EventContext {
        let i = try existingPosition(user)
        let u = state.users[i]
        let profile = profiles[u.profile]
        return EventContext(
            persona: strings[profile.persona],
            step: stepTable[profile.steps].firstIndex { $0.equalsFast(event) },
            outcome: OutcomeState(
                assignedAt: u.assignedAt, activated7d: u.activated7d, retained30d: u.retained30d, upgraded: u.upgraded,
                hasFirstWin: u.flags.contains(.firstWin)))
    }

    /// One position lookup for the three writes (the memory store keeps no `onboarding_events` rows).
    public func recordEvent(
        _ user: UserHandle, eventType: String, metadata: String?, step: Int?, outcome: OutcomeUpdate?, at: Minute
    ) throws {
        let i = try existingPosition(user)
        if let step {
            try checkEventStep(step, eventType: eventType, steps: stepTable[profiles[state.users[i].profile].steps])
            markStepCompleted(step, ofUserAt: i, at: at)
        }
        if let outcome { applyOutcome(outcome, toUserAt: i, at: at) }
    }

    public func applyOutcome(_ user: UserHandle, update: OutcomeUpdate, at: Minute) throws {
        applyOutcome(update, toUserAt: try existingPosition(user), at: at)
    }

    private func applyOutcome(_ update: OutcomeUpdate, toUserAt i: Int, at: Minute) {
        let event = update.firstWin.map { strings.intern($0.event, recent: &recentEvents) }
        logUser(i)
        let aggregated = update.setActivated7d || update.setRetained30d || update.firstWin != nil
        let seq = state.firstUser + i
        var u = state.users[i]
        let before = aggregated ? contribution(of: u, seq: seq) : nil
        var t = details(of: u, seq: seq)
        if update.setActivated7d { u.flags.insert(.activated7d) }
        if update.setRetained30d { u.flags.insert(.retained30d) }
        if update.setUpgraded { u.flags.insert(.upgraded) }
        if let win = update.firstWin, let event {
            t.firstWin = (win.minutes, win.at)
            t.activationEvent = event
        }
        if update.setActivated7d || update.setRetained30d || update.setUpgraded { t.lastUpdated = at }
        t.metricsUpdated = at
        pack(t, into: &u, seq: seq)
        state.users[i] = u
        if let before { window.replace(before, with: contribution(of: u, seq: seq)) }
        if update.setActivated7d {
            let day = Clock.day(of: u.assignedAt)
            logTrend(day)
            state.trend.add(day: day, activated: 1)
        }
    }

    /// The memory store keeps no `onboarding_events` rows (it counts nothing it does not need).
    public func appendEvent(_ user: UserHandle, eventType: String, at: Minute, metadata: String?) throws {
        _ = try existingPosition(user)
    }

    public func markStepCompleted(_ user: UserHandle, step: String, at: Minute) throws {
        let i = try existingPosition(user)
        let steps = stepTable[profiles[state.users[i].profile].steps]
        guard let k = steps.firstIndex(where: { $0.equalsFast(step) }) else { return }
        markStepCompleted(k, ofUserAt: i, at: at)
    }

    /// Marks the presented step at position `k` completed (once).
    private func markStepCompleted(_ k: Int, ofUserAt i: Int, at: Minute) {
        if k < UserRecord.maskBits {
            let bit: UInt32 = 1 << UInt32(k)
            guard state.users[i].completedMask & bit == 0 else { return }
            logUser(i)
            state.users[i].completedMask |= bit
        } else {
            guard beyondMask(i)?.contains(k) != true else { return }
            logUser(i)
            state.completedBeyondMask[state.firstUser + i, default: []].append(k)
        }
        setMetricsUpdated(at, at: i)
    }

    /// Sets the metrics row's update time of the user at position `i` (in place when it packs).
    private func setMetricsUpdated(_ minute: Minute, at i: Int) {
        var u = state.users[i]
        if !u.flags.contains(.irregular), let offset = Self.offset(minute, from: u.assignedAt) {
            state.users[i].metricsUpdatedOffset = offset
        } else {
            var d = details(i)
            d.metricsUpdated = minute
            pack(d, into: &u, seq: state.firstUser + i)
            state.users[i] = u
        }
    }

    public func rewriteStepOrder(_ user: UserHandle, steps: [String], at: Minute) throws {
        let i = try existingPosition(user)
        logUser(i)
        window.remove(contribution(i))
        let old = profiles[state.users[i].profile]
        state.users[i].profile = profileIndex(
            persona: old.persona, flowId: old.flowId, steps: stepTable.intern(steps, recent: &recentSteps),
            variant: old.variant)
        state.users[i].completedMask = 0
        state.completedBeyondMask[state.firstUser + i] = nil
        window.add(contribution(i))
    }

    public func recentJourneys(since: Minute) throws -> [Journey] {
        var result: [Journey] = []
        for (i, u) in state.users.enumerated() where u.assignedAt > since {
            let profile = profiles[u.profile]
            result.append(
                Journey(
                    userId: state.userIds[i], persona: strings[profile.persona], steps: stepTable[profile.steps],
                    assignedAt: u.assignedAt,
                    activated7d: u.activated7d, retained30d: u.retained30d,
                    timeToFirstWinMinutes: details(i).firstWin?.minutes,
                    variant: strings[profile.variant]))
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
            for (i, u) in state.users.enumerated() where u.assignedAt > since {
                let profile = profiles[u.profile]
                groups[Key(persona: profile.persona, steps: profile.steps), default: FlowAccumulator<Int32>()].add(
                    assignedAt: u.assignedAt, activated7d: u.activated7d, retained30d: u.retained30d,
                    timeToFirstWin: details(i).firstWin?.minutes, variant: profile.variant, now: now)
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
        state.trend.points(in: days)
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
                case .user(let position, let record, let times, let beyondMask):
                    window.remove(contribution(position))
                    let seq = state.firstUser + position
                    state.users[position] = record
                    state.exactDetails[seq] = times
                    state.completedBeyondMask[seq] = beyondMask
                    window.add(contribution(position))
                case .appendedUser(let userId):
                    let seq = state.firstUser + state.users.count - 1
                    window.remove(contribution(state.users.count - 1))
                    userIndex.remove(userId, seq: seq, idOf: self.userId(seq:))
                    state.users.removeLast()
                    state.userIds.removeLast()
                    state.exactDetails[seq] = nil
                    state.completedBeyondMask[seq] = nil
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
            userIndex.remove(state.userIds[k], seq: state.firstUser + k, idOf: userId(seq:))
            window.remove(contribution(k))
        }
        state.users.removeFirst(drop)
        state.userIds.removeFirst(drop)
        state.firstUser += drop
        let first = state.firstUser
        if !state.exactDetails.isEmpty { state.exactDetails = state.exactDetails.filter { $0.key >= first } }
        if !state.completedBeyondMask.isEmpty {
            state.completedBeyondMask = state.completedBeyondMask.filter { $0.key >= first }
        }
    }
}
