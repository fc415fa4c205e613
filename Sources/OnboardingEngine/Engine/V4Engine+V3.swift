/// The event the v3 runtime sends when it rewrites the presented sequence (SPEC §1.6); its metadata is the new
/// step order as a JSON array of step ids.
public let stepOrderRewrittenEvent = "v3_step_order_rewritten"

extension V4Engine {
    /// The v3 entry point (SPEC §1.6): assigns a flow and returns what the v3 runtime presents.
    @discardableResult
    public func initForUser(userId: String, persona: String, at: Minute) throws -> V3Init {
        let a = try assignFlowForUser(userId: userId, persona: persona, at: at)
        return V3Init(persona: persona, variant: a.variant, flowId: a.flowId, mode: a.mode, steps: a.steps)
    }

    /// A v3 event (SPEC §1.6): appended to `onboarding_events`; a step of the presented sequence is marked
    /// completed; the persona's activation event records the `activated` outcome; ``stepOrderRewrittenEvent``
    /// with a JSON array of steps in `metadata` rewrites the presented sequence.
    public func handleEvent(userId: String, eventType: String, at: Minute, metadata: String? = nil) throws {
        try handleEvent(user: store.existingHandle(of: userId), eventType: eventType, at: at, metadata: metadata)
    }

    /// ``handleEvent(userId:eventType:at:metadata:)`` for a user known by its store handle.
    public func handleEvent(user: UserHandle, eventType: String, at: Minute, metadata: String? = nil) throws {
        // One read and one write of the store per event (a rewrite: two writes).
        let (persona, step, state) = try store.eventContext(user, event: eventType).parts
        guard at >= state.assignedAt else {
            let userId = try store.userId(of: user) ?? user.description
            throw EngineError.invalidArgument(
                "event \(eventType) for user '\(userId)' at minute \(at) is before the assignment (minute \(state.assignedAt))"
            )
        }
        if eventType.equalsFast(stepOrderRewrittenEvent) {
            guard let text = metadata, let steps = JSONValue.parseStringArray(text), !steps.isEmpty else {
                throw EngineError.invalidArgument(
                    "\(stepOrderRewrittenEvent) needs a non-empty JSON array of steps as metadata")
            }
            try Self.validateRewrittenSteps(steps)
            try store.atomically {
                try store.appendEvent(user, eventType: eventType, at: at, metadata: metadata)
                try store.rewriteStepOrder(user, steps: steps, at: at)
            }
            return
        }
        var update: OutcomeUpdate?
        if let activation = activationEvent(of: persona), eventType.equalsFast(activation) {
            update = Self.outcomeUpdate(state, outcome: .activated, at: at, activationEvent: eventType)
        }
        try store.recordEvent(user, eventType: eventType, metadata: metadata, step: step, outcome: update, at: at)
    }

    /// The persona's activation event.
    private func activationEvent(of persona: String) -> String? {
        if let event = recentActivations.find(persona) { return event }
        let event = personaCache[persona]?.activationEvent
        recentActivations.remember(persona, event)
        return event
    }

    /// A rewritten step order obeys the rules of a scenario's flow: every step id non-empty, none repeated.
    static func validateRewrittenSteps(_ steps: [String]) throws {
        var seen: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            guard !step.allSatisfy(\.isWhitespace) else {
                throw EngineError.invalidArgument(
                    "\(stepOrderRewrittenEvent) metadata: step \(index) is empty; step ids are non-empty")
            }
            if let first = seen[step] {
                throw EngineError.invalidArgument(
                    "\(stepOrderRewrittenEvent) metadata: step '\(step)' is repeated (steps \(first) and \(index))")
            }
            seen[step] = index
        }
    }
}
