import Stochastics

/// The v4 self-learning onboarding engine (SPEC §1), written once against an ``EngineStore``.
///
/// The engine never reads the wall clock (every operation takes `at`/`now`) and never touches global random
/// state: its policy draws come from the injected `random` stream (SPEC §2.2 "policy stream"). It caches
/// settings, persona configurations and patterns between nightly jobs; a process that shares its database with
/// another writer calls ``reload()`` before relying on them.
///
/// Not thread-safe: one engine per store, one thread at a time.
public final class V4Engine {
    public let store: any EngineStore
    public let random: RandomStream

    var settingsCache: EngineSettings {
        didSet {
            invalidateContexts()
            assignmentPolicy = settingsCache.policy.policy
        }
    }
    /// The policy `settingsCache` names, constructed once per settings change rather than per user (a new
    /// instance is a boxed existential: an allocation).
    var assignmentPolicy: any AssignmentPolicy
    var personaCache: [String: PersonaConfig] {
        didSet {
            invalidateContexts()
            recentActivations.removeAll()
        }
    }
    var patternCache: [String: [FlowPattern]]? { didSet { invalidateContexts() } }
    var policyStateCache: [String: PersonaPolicyState]? { didSet { invalidateContexts() } }
    /// What each persona's policy sees, built once per change of the caches above rather than per user; the
    /// ones used last are checked first.
    var contextCache: [String: PolicyContext] = [:]
    var recentContexts = RecentByPersona<PolicyContext>()
    /// The activation events of the personas whose events came last.
    var recentActivations = RecentByPersona<String?>()

    func invalidateContexts() {
        contextCache.removeAll()
        recentContexts.removeAll()
    }

    /// A hook the tests and the simulator use to make the nightly job fail at a given stage (fault injection).
    public var faultInjector: ((NightlyStage) throws -> Void)?

    public init(store: any EngineStore, random: RandomStream) throws {
        self.store = store
        self.random = random
        let settings = try store.loadSettings()
        self.settingsCache = settings
        self.assignmentPolicy = settings.policy.policy
        self.personaCache = Dictionary(uniqueKeysWithValues: try store.personaConfigs().map { ($0.persona, $0) })
    }

    /// The settings in force.
    public var settings: EngineSettings { settingsCache }

    /// Drops every cache and reads settings and personas again.
    public func reload() throws {
        settingsCache = try store.loadSettings()
        personaCache = Dictionary(uniqueKeysWithValues: try store.personaConfigs().map { ($0.persona, $0) })
        patternCache = nil
        policyStateCache = nil
    }

    /// Replaces the settings (win scores are recomputed with the new weights). A configured ε above the law is
    /// kept as configured but clamped when used, and emits `governance_epsilon_clamped`.
    public func updateSettings(_ settings: EngineSettings, at: Minute) throws {
        try store.transaction {
            try store.saveSettings(settings, at: at)
            if settings.epsilonIsClamped { try emitClamp(settings, at: at, reason: "settings_updated") }
        }
        settingsCache = settings
        patternCache = nil
    }

    /// Registers or replaces what the engine knows of a persona (activation event, v3 default split).
    public func configurePersona(_ config: PersonaConfig) throws {
        guard !config.v3Default.isEmpty else {
            throw EngineError.invalidArgument("persona \(config.persona): the v3 default needs at least one flow")
        }
        try store.savePersonaConfig(config)
        personaCache[config.persona] = config
    }

    public func personaConfig(_ persona: String) -> PersonaConfig? { personaCache[persona] }

    /// Registers a flow as a pattern with sample 0 so exploration can try it (a scenario's `candidate: true` flow).
    /// Does nothing when the pattern exists.
    @discardableResult
    public func registerCandidateFlow(persona: String, steps: [String], variant: String?, at: Minute) throws
        -> FlowPattern
    {
        guard !steps.isEmpty else { throw EngineError.invalidArgument("a flow needs at least one step") }
        var state = try policyState(of: persona)
        if !state.candidates.contains(where: { $0.steps == steps }) {
            state.candidates.append(PolicyArm(steps: steps, variant: variant))
            try savePolicyState(state)
        }
        if let existing = try patterns(of: persona).first(where: { $0.steps == steps }) { return existing }
        let settings = settingsCache
        let stats = FlowStats(
            persona: persona, steps: steps, winRate7d: 0, winRate30d: 0, avgTimeToFirstWinMinutes: nil, sampleSize: 0,
            explorationPriority: settings.explorationPriority.priority(sampleSize: 0), suggestedVariant: variant)
        let pattern = try store.upsertPattern(stats, observedAt: nil, at: at)
        insertIntoPatternCache(pattern)
        return pattern
    }

    // MARK: Pattern cache

    func patterns(of persona: String) throws -> [FlowPattern] {
        if patternCache == nil { try fillPatternCache() }
        return patternCache?[persona] ?? []
    }

    /// Adds a new pattern to a filled cache in the store's order (persona, flow id), so registering n flows
    /// costs O(n log n) comparisons instead of refetching and sorting every pattern n times.
    func insertIntoPatternCache(_ pattern: FlowPattern) {
        guard patternCache != nil else { return }
        var list = patternCache?[pattern.persona] ?? []
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid].flowId < pattern.flowId { low = mid + 1 } else { high = mid }
        }
        list.insert(pattern, at: low)
        patternCache?[pattern.persona] = list
    }

    func fillPatternCache() throws {
        var cache: [String: [FlowPattern]] = [:]
        for p in try store.patterns(persona: nil) { cache[p.persona, default: []].append(p) }
        patternCache = cache
    }

    // MARK: Policy state

    /// The persona's policy state (an empty one when none is stored).
    func policyState(of persona: String) throws -> PersonaPolicyState {
        if policyStateCache == nil {
            policyStateCache = Dictionary(
                uniqueKeysWithValues: try store.personaPolicyStates().map { ($0.persona, $0) })
        }
        return policyStateCache?[persona] ?? PersonaPolicyState(persona: persona)
    }

    /// Writes a policy state. Callers inside a transaction that may roll back drop the cache on failure.
    func savePolicyState(_ state: PersonaPolicyState) throws {
        try store.savePersonaPolicyState(state)
        policyStateCache?[state.persona] = state
    }

    /// What the persona's policy state says to the policies: the A/B-test arms and the fixed arm, if any.
    public func policyState(persona: String) throws -> PersonaPolicyState { try policyState(of: persona) }

    func emitClamp(_ settings: EngineSettings, at: Minute, reason: String) throws {
        try store.appendOrchestratorEvent(
            type: .epsilonClamped, persona: nil,
            payload: JSONValue.object([
                "configured_epsilon": .number(settings.epsilon),
                "effective_epsilon": .number(settings.effectiveEpsilon),
                "max_epsilon": .number(settings.laws.maxEpsilon), "reason": .string(reason),
            ]).text, at: at)
    }
}

/// Where the nightly job is when a fault is injected.
public enum NightlyStage: String, Sendable, CaseIterable {
    case afterFetch = "after_fetch"
    case afterUpsert = "after_upsert"
    case afterElection = "after_election"
}
