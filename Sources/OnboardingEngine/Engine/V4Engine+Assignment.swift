import Stochastics

extension V4Engine {
    /// Assigns a flow to a new user (SPEC §1.5) and writes the assignment, personalization and journey state.
    ///
    /// Holdback first (probability `holdback`, only drawn when > 0), then the configured policy with
    /// ε = min(epsilon, law.max_epsilon). Throws ``EngineError/unknownPersona(_:)`` when the persona has neither
    /// a v3 default nor patterns, and ``EngineError/duplicateUser(_:)`` for a second assignment. Under `ab-test`
    /// a persona's first assignment starts its test at the start of that UTC day (stored atomically with the
    /// assignment; see ``ABTestPolicy``).
    @discardableResult
    public func assignFlowForUser(userId: String, persona: String, at: Minute) throws -> FlowAssignment {
        try assignUser(userId: userId, persona: persona, at: at).assignment
    }

    /// ``assignFlowForUser(userId:persona:at:)`` that also returns the store's handle of the new user, for callers
    /// that go on with the handle-based ``handleEvent(user:eventType:at:metadata:)`` and
    /// ``recordOutcome(user:outcome:at:activationEvent:)``.
    public func assignUser(userId: String, persona: String, at: Minute) throws -> (
        assignment: FlowAssignment, user: UserHandle
    ) {
        let assigned = try assign(userId: userId, persona: persona, at: at)
        return (assigned.assignment, assigned.user)
    }

    /// ``assignUser(userId:persona:at:)`` returning the flow as the engine prepared it (one reference, not the
    /// flow's strings and steps copied into a ``FlowAssignment``): what the simulator calls for every user.
    public func assign(userId: String, persona: String, at: Minute) throws -> AssignedUser {
        let settings = settingsCache
        var startsTest: PersonaPolicyState?
        if settings.policy == .abTest, personaCache[persona] != nil {
            var state = try policyState(of: persona)
            if state.abTestStartedAt == nil {
                state.abTestStartedAt = Clock.day(of: at) * Clock.minutesPerDay
                startsTest = state
            }
        }
        let context = try policyContext(persona)
        let decision =
            settings.holdback > 0 && random.uniform() < settings.holdback
            ? .v3Default(.holdback) : assignmentPolicy.decide(context, random: random)
        let flow: PreparedAssignment
        let mode: AssignmentMode
        switch decision {
        case .pattern(let i, let m):
            flow = context.prepared[i]
            mode = m
        case .arm(let arm, let m):
            flow = store.prepareAssignment(
                persona: persona, flowId: FlowID.make(persona: persona, steps: arm.steps),
                variant: arm.variant ?? defaultVariant(persona, steps: arm.steps), steps: arm.steps)
            mode = m
        case .v3Default(let m):
            guard let options = context.v3Options else { throw EngineError.unknownPersona(persona) }
            let k = options.prepared.count == 1 ? 0 : WeightedChoice.index(options.weights, u: random.uniform()) ?? 0
            flow = options.prepared[k]
            mode = m
        }
        guard let startsTest else {
            let user = try store.insertAssignment(userId: userId, flow, at: at, mode: mode)
            return AssignedUser(flow: flow, mode: mode, user: user)
        }
        do {
            let user = try store.atomically {
                try savePolicyState(startsTest)
                return try store.insertAssignment(userId: userId, flow, at: at, mode: mode)
            }
            return AssignedUser(flow: flow, mode: mode, user: user)
        } catch {
            policyStateCache = nil
            throw error
        }
    }

    /// What the persona's policy sees now (cached until settings, personas, patterns or policy states change).
    func policyContext(_ persona: String) throws -> PolicyContext {
        if let recent = recentContexts.find(persona) { return recent }
        if let cached = contextCache[persona] {
            recentContexts.remember(persona, cached)
            return cached
        }
        let context = try buildPolicyContext(persona)
        contextCache[persona] = context
        recentContexts.remember(persona, context)
        return context
    }

    private func buildPolicyContext(_ persona: String) throws -> PolicyContext {
        let settings = settingsCache
        let patterns = try patterns(of: persona)
        let context = PolicyContext(
            persona: persona, patterns: patterns, settings: settings, epsilon: settings.effectiveEpsilon)
        context.prepared = patterns.map {
            store.prepareAssignment(
                persona: persona, flowId: $0.flowId,
                variant: $0.suggestedVariant ?? defaultVariant(persona, steps: $0.steps), steps: $0.steps)
        }
        if let config = personaCache[persona] {
            context.v3Options = (
                config.v3Default.map {
                    store.prepareAssignment(
                        persona: persona, flowId: FlowID.make(persona: persona, steps: $0.steps), variant: $0.variant,
                        steps: $0.steps)
                }, config.v3Default.map(\.weight)
            )
        }
        if settings.policy == .abTest {
            let state = try policyState(of: persona)
            context.arms = PersonaPolicyState.arms(
                v3Default: personaCache[persona]?.v3Default ?? [], candidates: state.candidates)
            context.abTestWinner = state.abTestWinner
        }
        return context
    }

    /// True when the persona's next (non-holdback) assignment is decided by an ε draw (see
    /// ``AssignmentPolicy/explorationApplies(_:)``); the simulator's allocation-health check uses it.
    public func explorationApplies(persona: String) throws -> Bool {
        assignmentPolicy.explorationApplies(try policyContext(persona))
    }

    /// The variant to present with a pattern that has none: the v3 default's variant for the same steps, else
    /// the first v3 default variant, else "default".
    func defaultVariant(_ persona: String, steps: [String]) -> String {
        guard let config = personaCache[persona] else { return "default" }
        return config.v3Default.first(where: { $0.steps == steps })?.variant ?? config.v3Default.first?.variant
            ?? "default"
    }

    /// `record_onboarding_outcome` (SPEC §1.4). `activated` sets activated_7d only within 7 days of assignment and
    /// records the first win (time, moment, event) once; repeating an outcome changes nothing. Unknown users and
    /// outcomes throw a typed error and write nothing.
    public func recordOutcome(userId: String, outcome: String, at: Minute) throws {
        guard let parsed = Outcome(rawValue: outcome) else { throw EngineError.unknownOutcome(outcome) }
        try recordOutcome(userId: userId, outcome: parsed, at: at)
    }

    public func recordOutcome(userId: String, outcome: Outcome, at: Minute) throws {
        try recordOutcome(user: store.existingHandle(of: userId), outcome: outcome, at: at)
    }

    /// ``recordOutcome(userId:outcome:at:)`` for a user known by its store handle.
    public func recordOutcome(user: UserHandle, outcome: Outcome, at: Minute, activationEvent: String? = nil) throws {
        guard let update = try outcomeUpdate(user: user, outcome: outcome, at: at, activationEvent: activationEvent)
        else { return }
        try store.atomically { try store.applyOutcome(user, update: update, at: at) }
    }

    /// What recording `outcome` changes for the user (nil: nothing, a repeated outcome), after checking the user
    /// and the time.
    func outcomeUpdate(user: UserHandle, outcome: Outcome, at: Minute, activationEvent: String?) throws
        -> OutcomeUpdate?
    {
        guard let state = try store.outcomeState(user, withFirstWin: outcome == .activated) else {
            throw EngineError.unknownUser(user.description)
        }
        guard at >= state.assignedAt else {
            let userId = try store.userId(of: user) ?? user.description
            throw EngineError.invalidArgument(
                "outcome \(outcome.rawValue) for user '\(userId)' at minute \(at) is before the assignment (minute \(state.assignedAt))"
            )
        }
        return Self.outcomeUpdate(state, outcome: outcome, at: at, activationEvent: activationEvent)
    }

    /// What recording `outcome` at `at` (not before the assignment) changes for a user in `state` (nil: nothing);
    /// ``handleEvent(user:eventType:at:metadata:)`` applies an activation's within its own write.
    static func outcomeUpdate(_ state: OutcomeState, outcome: Outcome, at: Minute, activationEvent: String?)
        -> OutcomeUpdate?
    {
        var update = OutcomeUpdate()
        switch outcome {
        case .activated:
            if !state.activated7d && at - state.assignedAt <= 7 * Clock.minutesPerDay {
                update.setActivated7d = true
            }
            if state.hasFirstWin == false {
                update.firstWin = (at - state.assignedAt, at, activationEvent ?? "activated")
            }
        case .retained30d:
            if !state.retained30d { update.setRetained30d = true }
        case .upgraded:
            if !state.upgraded { update.setUpgraded = true }
        }
        return update.isEmpty ? nil : update
    }
}
