/// The persona, presented steps and assignment time of one user: what `handleEvent` needs.
public struct JourneyContext: Sendable, Equatable {
    public var persona: String
    public var steps: [String]
    public var assignedAt: Minute

    public init(persona: String, steps: [String], assignedAt: Minute) {
        self.persona = persona
        self.steps = steps
        self.assignedAt = assignedAt
    }
}

/// The changes one `recordOutcome` makes to a user's assignment and metrics rows.
public struct OutcomeUpdate: Sendable, Equatable {
    public var setActivated7d = false
    public var setRetained30d = false
    public var setUpgraded = false
    /// Set on the first activation only: minutes from assignment, the moment, and the event's name.
    public var firstWin: (minutes: Minute, at: Minute, event: String)?

    public init() {}

    public var isEmpty: Bool { !setActivated7d && !setRetained30d && !setUpgraded && firstWin == nil }

    public static func == (a: OutcomeUpdate, b: OutcomeUpdate) -> Bool {
        a.setActivated7d == b.setActivated7d && a.setRetained30d == b.setRetained30d && a.setUpgraded == b.setUpgraded
            && a.firstWin?.minutes == b.firstWin?.minutes && a.firstWin?.at == b.firstWin?.at
            && a.firstWin?.event == b.firstWin?.event
    }
}

/// What `recordOutcome` reads of a user: the assignment time, the three outcome flags, and — when asked —
/// whether a first win is recorded.
public struct OutcomeState: Sendable, Equatable {
    public var assignedAt: Minute
    public var activated7d: Bool
    public var retained30d: Bool
    public var upgraded: Bool
    /// nil unless asked for (or when the user has no metrics row).
    public var hasFirstWin: Bool?

    public init(assignedAt: Minute, activated7d: Bool, retained30d: Bool, upgraded: Bool, hasFirstWin: Bool?) {
        self.assignedAt = assignedAt
        self.activated7d = activated7d
        self.retained30d = retained30d
        self.upgraded = upgraded
        self.hasFirstWin = hasFirstWin
    }
}

/// What one v3 event reads of its user, in one call (``EngineStore/eventContext(_:event:)``): the persona, the
/// position of the event among the presented steps, and the outcome state an activation needs.
public struct EventContext: Sendable, Equatable {
    public var persona: String
    /// The first position of the event's name in the presented steps; nil when it is not one of them.
    public var step: Int?
    /// The assignment time and flags, with ``OutcomeState/hasFirstWin`` asked for (nil only without a metrics row).
    public var outcome: OutcomeState

    public var assignedAt: Minute { outcome.assignedAt }
    /// The three fields, taken apart at once (binding the struct itself cost the engine a copy of it per event).
    public var parts: (persona: String, step: Int?, outcome: OutcomeState) { (persona, step, outcome) }

    public init(persona: String, step: Int?, outcome: OutcomeState) {
        self.persona = persona
        self.step = step
        self.outcome = outcome
    }
}

/// One flow assignment's names — persona, flow id, variant, presented steps — prepared by a store once for the
/// many users who are given that flow (``EngineStore/prepareAssignment(persona:flowId:variant:steps:)``). The
/// engine keeps one per pattern and v3 option in its policy context, so a new user costs the store no lookup of
/// the four names. A class: handing one to the store retains one reference, not five.
public final class PreparedAssignment: Sendable {
    public let persona: String
    public let flowId: String
    public let variant: String
    public let steps: [String]
    /// The preparing store's own number for the four names (the memory store's profile), read only by the store
    /// that issued it; −1 for none. Internal, like the initialiser that sets it: a caller cannot forge a token
    /// under a store's issuer.
    let token: Int
    /// Who issued `token`: a store compares it with its own issuer by identity (a token of another store, or of
    /// one that no longer exists, is never taken for its own: the reference keeps the issuer alive).
    let issuer: Issuer?

    /// The identity of a store that issues tokens.
    final class Issuer: Sendable {}

    /// Names without a token (what a store that keeps no numbers of its own prepares).
    public convenience init(persona: String, flowId: String, variant: String, steps: [String]) {
        self.init(persona: persona, flowId: flowId, variant: variant, steps: steps, token: -1, issuer: nil)
    }

    init(persona: String, flowId: String, variant: String, steps: [String], token: Int, issuer: Issuer?) {
        self.persona = persona
        self.flowId = flowId
        self.variant = variant
        self.steps = steps
        self.token = token
        self.issuer = issuer
    }
}

/// What the v4 engine needs from its record of truth (SPEC §1.9).
///
/// The engine's logic is written once against this protocol; `SQLiteStore` (OnboardingPersistence) and
/// ``MemoryStore`` implement it, and one contract suite runs against both. Rows come back in a stable order
/// (patterns by persona then flow id; jobs and events in insertion order) so both stores are comparable.
///
/// A store is used from one thread at a time (one engine per replicate).
public protocol EngineStore: AnyObject {
    // MARK: Settings and personas
    func loadSettings() throws -> EngineSettings
    /// Writes every setting; stores that compute win scores recompute them with the new weights.
    func saveSettings(_ settings: EngineSettings, at: Minute) throws
    func personaConfigs() throws -> [PersonaConfig]
    func savePersonaConfig(_ config: PersonaConfig) throws
    /// Every persona's policy state (candidates registered, the `ab-test` policy's test), ordered by persona.
    func personaPolicyStates() throws -> [PersonaPolicyState]
    /// Inserts or replaces one persona's policy state.
    func savePersonaPolicyState(_ state: PersonaPolicyState) throws

    // MARK: Patterns
    /// Patterns ordered by persona, then flow id; all personas when `persona` is nil.
    func patterns(persona: String?) throws -> [FlowPattern]
    /// Inserts or updates the pattern (persona, flowId) with `stats`, keeping its champion fields, and returns
    /// the stored row with its win score. `observedAt` is set when the stats come from a nightly window.
    @discardableResult
    func upsertPattern(_ stats: FlowStats, observedAt: Minute?, at: Minute) throws -> FlowPattern
    /// Sets the champion fields of one pattern.
    func setChampion(
        persona: String, flowId: String, isChampion: Bool, lastChampionAt: Minute?, electedWinScore: Double?, at: Minute
    ) throws

    // MARK: Users
    /// Writes the assignment, the personalization row, the journey state (step order) and an empty metrics row,
    /// and returns the user's handle. Throws ``EngineError/duplicateUser(_:)`` when the user already has an
    /// assignment.
    @discardableResult
    func insertAssignment(_ assignment: Assignment, variant: String, steps: [String]) throws -> UserHandle
    /// The four names of an assignment, prepared for ``insertAssignment(userId:_:at:mode:)``. (Default: the names
    /// alone, no token.)
    func prepareAssignment(persona: String, flowId: String, variant: String, steps: [String]) -> PreparedAssignment
    /// ``insertAssignment(_:variant:steps:)`` of a new user given a prepared flow at `at` (assigned and last
    /// updated then). (Default: builds the ``Assignment`` and calls that.)
    @discardableResult
    func insertAssignment(userId: String, _ prepared: PreparedAssignment, at: Minute, mode: AssignmentMode) throws
        -> UserHandle
    /// The handle of a user the store holds, nil when it holds none by that id.
    func handle(of userId: String) throws -> UserHandle?
    /// The id of the user behind a handle (for messages), nil when the store no longer holds it.
    func userId(of user: UserHandle) throws -> String?
    func assignment(_ user: UserHandle) throws -> Assignment?
    func journeyContext(_ user: UserHandle) throws -> JourneyContext?
    func journeyMetrics(_ user: UserHandle) throws -> JourneyMetrics?
    /// ``assignment(_:)``'s time and flags, and with `withFirstWin` whether ``journeyMetrics(_:)`` has a first
    /// win, without building the rows; nil for an unknown user. (Default: read from those two.)
    func outcomeState(_ user: UserHandle, withFirstWin: Bool) throws -> OutcomeState?
    /// Applies one outcome to the assignment and metrics rows, atomically.
    func applyOutcome(_ user: UserHandle, update: OutcomeUpdate, at: Minute) throws
    /// ``journeyContext(_:)`` and ``outcomeState(_:withFirstWin:)`` of a user in one read, with the position of
    /// `event` in the presented steps; throws ``EngineError/unknownUser(_:)`` for an unknown user (not an optional:
    /// unwrapping one cost the memory store's event a copy and two destroys of the context). (Default: those two
    /// reads.)
    func eventContext(_ user: UserHandle, event: String) throws -> EventContext
    /// One v3 event's writes, as one unit: ``appendEvent(_:eventType:at:metadata:)``; with `step` (the
    /// position ``eventContext(_:event:)`` found), ``markStepCompleted(_:step:at:)`` of the event; with `outcome`,
    /// ``applyOutcome(_:update:at:)``. A `step` whose presented step is not `eventType` is an
    /// ``EngineError/invalidArgument(_:)``, checked before anything is written. (Default: those three in
    /// ``atomically(_:)``.)
    func recordEvent(
        _ user: UserHandle, eventType: String, metadata: String?, step: Int?, outcome: OutcomeUpdate?, at: Minute
    ) throws
    /// Appends to `onboarding_events`.
    func appendEvent(_ user: UserHandle, eventType: String, at: Minute, metadata: String?) throws
    /// Appends `step` to the journey's completed steps (once) and refreshes the completion rate.
    func markStepCompleted(_ user: UserHandle, step: String, at: Minute) throws
    /// Replaces the journey's presented step order (the v3 runtime's deviation).
    func rewriteStepOrder(_ user: UserHandle, steps: [String], at: Minute) throws
    /// Every user with `assignedAt > since` (SPEC §1.4 `get_recent_onboarding_journeys`).
    func recentJourneys(since: Minute) throws -> [Journey]
    /// The learning window's totals per (persona, presented steps) for users with `assignedAt > since`, maturity
    /// measured at `now` — what `aggregateFlows(getRecentJourneys(now))` computes, without building journeys.
    /// nil when the store cannot (the engine then aggregates journeys).
    func windowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]?
    /// Signups and 7-day activations per signup day, for days in `days` that had signups.
    func activationTrend(days: ClosedRange<Int>) throws -> [TrendPoint]

    // MARK: Jobs and events
    func jobCount() throws -> Int
    func insertJob(_ job: LearningJob) throws
    func updateJob(_ job: LearningJob) throws
    func jobs() throws -> [LearningJob]
    func appendOrchestratorEvent(type: OrchestratorEventType, persona: String?, payload: String, at: Minute) throws
    func orchestratorEvents() throws -> [OrchestratorEvent]

    // MARK: Transactions
    /// Runs a short multi-row change (one event, one outcome) as one unit: its own transaction outside a batch;
    /// inside a batch it joins the batch's transaction (operations validate before they write, so a typed error
    /// leaves nothing behind).
    func atomically<T>(_ body: () throws -> T) throws -> T
    /// Runs `body` atomically: if it throws, every change it made is undone. Nests (savepoints).
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Groups many operations for throughput (SQLite: one transaction per simulated day). Not a rollback unit
    /// for stores that cannot afford one (the memory store runs `body` as is).
    func batch<T>(_ body: () throws -> T) throws -> T
    /// Called after each nightly job; a store may drop what neither the window nor pending outcomes need.
    func compact(now: Minute, settings: EngineSettings) throws
}

/// Throws unless `step` is a position of `steps` that holds `eventType` (``EngineStore/recordEvent``'s check).
/// Inlined, so that the caller reads its stored steps in place (a call would retain and release them per event).
@inline(__always)
func checkEventStep(_ step: Int, eventType: String, steps: [String]) throws {
    guard steps.indices.contains(step), steps[step].equalsFast(eventType) else {
        throw eventStepMismatch(step, eventType: eventType, stepCount: steps.count)
    }
}

@inline(never)
private func eventStepMismatch(_ step: Int, eventType: String, stepCount: Int) -> EngineError {
    .invalidArgument("event \(eventType): step \(step) of the presented steps (\(stepCount)) is not that event")
}

extension EngineStore {
    /// The handle of `userId`, or ``EngineError/unknownUser(_:)``.
    public func existingHandle(of userId: String) throws -> UserHandle {
        guard let user = try handle(of: userId) else { throw EngineError.unknownUser(userId) }
        return user
    }

    // The same reads and writes by user id (for the command line, tests and callers that keep no handle).
    public func assignment(userId: String) throws -> Assignment? { try handle(of: userId).flatMap(assignment) }
    public func journeyContext(userId: String) throws -> JourneyContext? {
        try handle(of: userId).flatMap(journeyContext)
    }
    public func journeyMetrics(userId: String) throws -> JourneyMetrics? {
        try handle(of: userId).flatMap(journeyMetrics)
    }
    public func applyOutcome(userId: String, update: OutcomeUpdate, at: Minute) throws {
        try applyOutcome(existingHandle(of: userId), update: update, at: at)
    }
    public func appendEvent(userId: String, eventType: String, at: Minute, metadata: String?) throws {
        try appendEvent(existingHandle(of: userId), eventType: eventType, at: at, metadata: metadata)
    }
    public func markStepCompleted(userId: String, step: String, at: Minute) throws {
        try markStepCompleted(existingHandle(of: userId), step: step, at: at)
    }
    public func rewriteStepOrder(userId: String, steps: [String], at: Minute) throws {
        try rewriteStepOrder(existingHandle(of: userId), steps: steps, at: at)
    }

    public func outcomeState(_ user: UserHandle, withFirstWin: Bool) throws -> OutcomeState? {
        guard let a = try assignment(user) else { return nil }
        return OutcomeState(
            assignedAt: a.assignedAt, activated7d: a.activated7d, retained30d: a.retained30d, upgraded: a.upgraded,
            hasFirstWin: withFirstWin ? try journeyMetrics(user).map { $0.firstAhaMomentAt != nil } : nil)
    }

    public func eventContext(_ user: UserHandle, event: String) throws -> EventContext {
        try composedEventContext(user, event: event)
    }

    /// ``eventContext(_:event:)`` from ``journeyContext(_:)`` and ``outcomeState(_:withFirstWin:)`` (the default;
    /// for a store's own fallback).
    public func composedEventContext(_ user: UserHandle, event: String) throws -> EventContext {
        guard let journey = try journeyContext(user), let outcome = try outcomeState(user, withFirstWin: true) else {
            throw EngineError.unknownUser(user.description)
        }
        return EventContext(persona: journey.persona, step: journey.steps.firstIndex(of: event), outcome: outcome)
    }

    public func recordEvent(
        _ user: UserHandle, eventType: String, metadata: String?, step: Int?, outcome: OutcomeUpdate?, at: Minute
    ) throws {
        if let step {
            guard let journey = try journeyContext(user) else { throw EngineError.unknownUser(user.description) }
            try checkEventStep(step, eventType: eventType, steps: journey.steps)
        }
        try atomically {
            try appendEvent(user, eventType: eventType, at: at, metadata: metadata)
            if step != nil { try markStepCompleted(user, step: eventType, at: at) }
            if let outcome { try applyOutcome(user, update: outcome, at: at) }
        }
    }

    public func prepareAssignment(persona: String, flowId: String, variant: String, steps: [String])
        -> PreparedAssignment
    {
        PreparedAssignment(persona: persona, flowId: flowId, variant: variant, steps: steps)
    }

    @discardableResult
    public func insertAssignment(userId: String, _ prepared: PreparedAssignment, at: Minute, mode: AssignmentMode)
        throws -> UserHandle
    {
        try insertAssignment(
            Assignment(
                id: userId, userId: userId, persona: prepared.persona, flowId: prepared.flowId, assignedAt: at,
                mode: mode, lastUpdated: at),
            variant: prepared.variant, steps: prepared.steps)
    }

    public func batch<T>(_ body: () throws -> T) throws -> T { try body() }
    public func atomically<T>(_ body: () throws -> T) throws -> T { try transaction(body) }
    public func windowTotals(since: Minute, now: Minute) throws -> [FlowWindowTotals]? { nil }
    public func compact(now: Minute, settings: EngineSettings) throws {}
}
