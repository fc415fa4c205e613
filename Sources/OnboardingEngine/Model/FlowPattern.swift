/// One row of `onboarding_flow_patterns`: what the engine has learnt about one flow of one persona.
public struct FlowPattern: Sendable, Equatable, Codable {
    public var id: String
    public var persona: String
    public var flowId: String
    public var steps: [String]
    public var winRate7d: Double
    public var winRate30d: Double
    /// Mean minutes to first win over activated users; nil when none activated.
    public var avgTimeToFirstWinMinutes: Double?
    public var sampleSize: Int
    /// Computed by the store (a trigger in SQLite) from the weights in the settings (SPEC §1.3).
    public var winScore: Double
    public var explorationPriority: Double
    public var suggestedVariant: String?
    public var isChampion: Bool
    public var lastChampionAt: Minute?
    /// The pattern's win score when it was last elected champion (the degradation alert's reference, SPEC §1.7b).
    public var electedWinScore: Double?
    /// The last nightly job whose window contained this pattern (drives `stale_patterns: drop_from_election`).
    public var lastObservedAt: Minute?
    public var createdAt: Minute
    public var updatedAt: Minute

    public init(
        id: String, persona: String, flowId: String, steps: [String], winRate7d: Double, winRate30d: Double,
        avgTimeToFirstWinMinutes: Double?, sampleSize: Int, winScore: Double, explorationPriority: Double,
        suggestedVariant: String?, isChampion: Bool, lastChampionAt: Minute?, electedWinScore: Double?,
        lastObservedAt: Minute?, createdAt: Minute, updatedAt: Minute
    ) {
        self.id = id
        self.persona = persona
        self.flowId = flowId
        self.steps = steps
        self.winRate7d = winRate7d
        self.winRate30d = winRate30d
        self.avgTimeToFirstWinMinutes = avgTimeToFirstWinMinutes
        self.sampleSize = sampleSize
        self.winScore = winScore
        self.explorationPriority = explorationPriority
        self.suggestedVariant = suggestedVariant
        self.isChampion = isChampion
        self.lastChampionAt = lastChampionAt
        self.electedWinScore = electedWinScore
        self.lastObservedAt = lastObservedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What `upsertFlowPattern` writes: the learnt statistics of one (persona, flow). The store fills in the id,
/// timestamps and win score, and keeps the champion fields.
public struct FlowStats: Sendable, Equatable {
    public var persona: String
    public var flowId: String
    public var steps: [String]
    public var winRate7d: Double
    public var winRate30d: Double
    public var avgTimeToFirstWinMinutes: Double?
    public var sampleSize: Int
    public var explorationPriority: Double
    public var suggestedVariant: String?

    public init(
        persona: String, steps: [String], winRate7d: Double, winRate30d: Double, avgTimeToFirstWinMinutes: Double?,
        sampleSize: Int, explorationPriority: Double, suggestedVariant: String?
    ) {
        self.persona = persona
        self.flowId = FlowID.make(persona: persona, steps: steps)
        self.steps = steps
        self.winRate7d = winRate7d
        self.winRate30d = winRate30d
        self.avgTimeToFirstWinMinutes = avgTimeToFirstWinMinutes
        self.sampleSize = sampleSize
        self.explorationPriority = explorationPriority
        self.suggestedVariant = suggestedVariant
    }
}
