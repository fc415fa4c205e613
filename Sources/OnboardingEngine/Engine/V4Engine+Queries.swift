extension V4Engine {
    /// The persona's champion pattern, if one has been elected.
    public func getChampionFlow(persona: String) throws -> FlowPattern? {
        try patterns(of: persona).first(where: \.isChampion)
    }

    /// Every pattern (of one persona, or all), ordered by persona, then win score descending, then flow id.
    public func getAllFlowPatterns(persona: String? = nil) throws -> [FlowPattern] {
        try store.patterns(persona: persona).sorted(by: Self.performanceOrder)
    }

    /// Every pattern of every persona, sorted by win score descending (then persona, flow id).
    public func getFlowPerformanceByPersona() throws -> [FlowPattern] {
        try store.patterns(persona: nil).sorted { a, b in
            if a.winScore != b.winScore { return a.winScore > b.winScore }
            return (a.persona, a.flowId) < (b.persona, b.flowId)
        }
    }

    /// Per signup day of the last `days` days up to `now`'s day: signups, 7-day activations and their share.
    public func getActivationTrendData(days: Int, now: Minute) throws -> [TrendPoint] {
        let today = Clock.day(of: now)
        return try store.activationTrend(days: (today - max(days, 1) + 1)...today)
    }

    static func performanceOrder(_ a: FlowPattern, _ b: FlowPattern) -> Bool {
        if a.persona != b.persona { return a.persona < b.persona }
        if a.winScore != b.winScore { return a.winScore > b.winScore }
        return a.flowId < b.flowId
    }
}
