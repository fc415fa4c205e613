/// One row of `onboarding_learning_jobs`.
public struct LearningJob: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case running, completed, failed }

    public var id: String
    public var jobType: String
    public var status: Status
    public var patternsDiscovered: Int
    public var championsUpdated: Int
    public var errorMessage: String?
    /// JSON object text, keys sorted.
    public var metadata: String
    public var startedAt: Minute
    public var completedAt: Minute?

    public init(
        id: String, jobType: String, status: Status, patternsDiscovered: Int = 0, championsUpdated: Int = 0,
        errorMessage: String? = nil, metadata: String = "{}", startedAt: Minute, completedAt: Minute? = nil
    ) {
        self.id = id
        self.jobType = jobType
        self.status = status
        self.patternsDiscovered = patternsDiscovered
        self.championsUpdated = championsUpdated
        self.errorMessage = errorMessage
        self.metadata = metadata
        self.startedAt = startedAt
        self.completedAt = completedAt
    }
}

/// The orchestrator events of SPEC §1.7.
public enum OrchestratorEventType: String, Sendable, Codable, CaseIterable {
    case championChanged = "onboarding_flow_champion_changed"
    case rollback = "onboarding_flow_rollback"
    case jobRan = "onboarding_learning_job_ran"
    case jobFailed = "onboarding_learning_job_failed"
    case winScoreDegraded = "onboarding_win_score_degraded"
    case epsilonClamped = "governance_epsilon_clamped"
    /// The `ab-test` policy fixed a persona's winner (payload: flow_id, win_score, sample_size, started_at, …).
    case abTestConcluded = "onboarding_ab_test_concluded"
    /// An operator changed the exploration rate from the dashboard (payload: previous, requested, epsilon,
    /// max_epsilon, clamped, source).
    case explorationRateChanged = "onboarding_exploration_rate_changed"
}

/// One row of `orchestrator_events`.
public struct OrchestratorEvent: Sendable, Equatable, Codable {
    public var id: String
    public var eventType: String
    public var persona: String?
    /// JSON object text, keys sorted.
    public var payload: String
    public var occurredAt: Minute

    public init(id: String, eventType: String, persona: String?, payload: String, occurredAt: Minute) {
        self.id = id
        self.eventType = eventType
        self.persona = persona
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// One change made by `electChampionFlows`.
public struct ChampionChange: Sendable, Equatable, Codable {
    public var persona: String
    public var oldChampion: String?
    public var newChampion: String
    /// New champion's win score minus the old champion's (the new score when there was none).
    public var winScoreDelta: Double
}

/// A rollback that the law applied (SPEC §1.7a): the election's candidate was not installed.
public struct ChampionRollback: Sendable, Equatable, Codable {
    public var persona: String
    public var champion: String
    public var rejectedCandidate: String
    public var championScore: Double
    public var candidateScore: Double
}

/// The outcome of one `electChampionFlows` call.
public struct ElectionResult: Sendable, Equatable {
    public var changes: [ChampionChange] = []
    public var rollbacks: [ChampionRollback] = []
    public var degradations: [String] = []
}

/// What `runNightlyLearningJob` returns.
public struct NightlyReport: Sendable, Equatable {
    public var job: LearningJob
    public var election: ElectionResult
}
