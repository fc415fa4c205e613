/// One row of daily.csv before the config column: one replicate × day × persona (SPEC §4).
public struct DailyRecord: Sendable, Equatable, Codable {
    public var day: Int
    public var persona: String
    public var signups: Int
    public var explore: Int
    public var exploit: Int
    public var holdback: Int
    /// Local flow id of the champion after the night's job (the engine's flow id if it matches no declared flow;
    /// empty when there is none).
    public var championFlow: String
    public var trueBestFlow: String
    public var championCorrect: Bool
    /// Share of the day's signups activated within 7 days; nil when they are not 7 days old at the horizon or
    /// there were none.
    public var activationRate: Double?
    /// Expected regret of the day's signups (sum over users of true best score − presented flow's score).
    public var regret: Double
    public var cumulativeRegret: Double
    public var activationRegret: Double
    public var patterns: Int
    public var rollbacks: Int
    public var jobFailed: Bool
    /// Allocation health: non-holdback users for whom an ε draw decided, and how many of them explored.
    public var epsilonUsers: Int
    public var epsilonExplore: Int
    public var effectiveEpsilon: Double
    /// With persona inference (nil otherwise): the day's signups of this (true) persona whom the runtime inferred
    /// as another persona, and the part of `regret` theirs.
    public var misclassified: Int?
    public var misclassifiedRegret: Double?

    public init(
        day: Int, persona: String, signups: Int, explore: Int, exploit: Int, holdback: Int, championFlow: String,
        trueBestFlow: String, championCorrect: Bool, activationRate: Double?, regret: Double, cumulativeRegret: Double,
        activationRegret: Double, patterns: Int, rollbacks: Int, jobFailed: Bool, epsilonUsers: Int,
        epsilonExplore: Int, effectiveEpsilon: Double, misclassified: Int? = nil, misclassifiedRegret: Double? = nil
    ) {
        self.day = day
        self.persona = persona
        self.signups = signups
        self.explore = explore
        self.exploit = exploit
        self.holdback = holdback
        self.championFlow = championFlow
        self.trueBestFlow = trueBestFlow
        self.championCorrect = championCorrect
        self.activationRate = activationRate
        self.regret = regret
        self.cumulativeRegret = cumulativeRegret
        self.activationRegret = activationRegret
        self.patterns = patterns
        self.rollbacks = rollbacks
        self.jobFailed = jobFailed
        self.epsilonUsers = epsilonUsers
        self.epsilonExplore = epsilonExplore
        self.effectiveEpsilon = effectiveEpsilon
        self.misclassified = misclassified
        self.misclassifiedRegret = misclassifiedRegret
    }
}

/// One row of replicates.csv before the config column (persona `ALL` aggregates the others).
public struct ReplicateSummary: Sendable, Equatable, Codable {
    public var persona: String
    public var users: Int
    public var cumulativeRegret: Double
    public var regretPerUser: Double
    public var activationRate: Double?
    public var retentionRate: Double?
    public var upgradeRate: Double?
    /// nil for `ALL`.
    public var finalChampionCorrect: Bool?
    public var firstCorrectDay: Int?
    public var championChanges: Int
    public var rollbacks: Int
    public var failedJobs: Int
    public var patterns: Int
    public var cumulativeActivationRegret: Double
    /// With persona inference (nil otherwise): the users inferred as another persona, and their regret.
    public var misclassifiedUsers: Int?
    public var misclassifiedRegret: Double?

    public init(
        persona: String, users: Int, cumulativeRegret: Double, regretPerUser: Double, activationRate: Double?,
        retentionRate: Double?, upgradeRate: Double?, finalChampionCorrect: Bool?, firstCorrectDay: Int?,
        championChanges: Int, rollbacks: Int, failedJobs: Int, patterns: Int, cumulativeActivationRegret: Double
    ) {
        self.persona = persona
        self.users = users
        self.cumulativeRegret = cumulativeRegret
        self.regretPerUser = regretPerUser
        self.activationRate = activationRate
        self.retentionRate = retentionRate
        self.upgradeRate = upgradeRate
        self.finalChampionCorrect = finalChampionCorrect
        self.firstCorrectDay = firstCorrectDay
        self.championChanges = championChanges
        self.rollbacks = rollbacks
        self.failedJobs = failedJobs
        self.patterns = patterns
        self.cumulativeActivationRegret = cumulativeActivationRegret
    }
}

/// Everything one replicate produced.
public struct ReplicateResult: Sendable, Equatable {
    public var replicate: Int
    public var daily: [DailyRecord]
    public var summaries: [ReplicateSummary]
    /// The users seen, when the runner was asked to record them (tests of common random numbers).
    public var users: [SyntheticUser]
    /// Champion timeline: (day, persona, local flow id) for every change.
    public var championTimeline: [(day: Int, persona: String, flow: String)]
    /// flows.csv rows, when the runner was asked to record them (``ReplicateRunner/recordFlows``).
    public var flows: [FlowDayRecord] = []

    public init(
        replicate: Int, daily: [DailyRecord], summaries: [ReplicateSummary], users: [SyntheticUser],
        championTimeline: [(day: Int, persona: String, flow: String)], flows: [FlowDayRecord] = []
    ) {
        self.replicate = replicate
        self.daily = daily
        self.summaries = summaries
        self.users = users
        self.championTimeline = championTimeline
        self.flows = flows
    }

    public static func == (a: ReplicateResult, b: ReplicateResult) -> Bool {
        a.replicate == b.replicate && a.daily == b.daily && a.summaries == b.summaries && a.users == b.users
            && a.flows == b.flows
            && a.championTimeline.map(\.day) == b.championTimeline.map(\.day)
            && a.championTimeline.map(\.persona) == b.championTimeline.map(\.persona)
            && a.championTimeline.map(\.flow) == b.championTimeline.map(\.flow)
    }
}
