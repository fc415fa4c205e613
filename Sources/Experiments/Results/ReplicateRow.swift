import Simulation

/// One row of replicates.csv (SPEC §4): one configuration × replicate × persona (or `ALL`).
///
/// Comparisons, `check` and `compare` work from these rows alone, so `compare DIR` can recompute everything
/// from replicates.csv and configs.csv.
public struct ReplicateRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var persona: String
    public var users: Int
    public var cumulativeRegret: Double
    public var regretPerUser: Double
    public var activationRate: Double?
    public var retentionRate: Double?
    public var upgradeRate: Double?
    public var finalChampionCorrect: Bool?
    public var firstCorrectDay: Int?
    public var championChanges: Int
    public var rollbacks: Int
    public var failedJobs: Int
    public var patterns: Int

    /// The columns of replicates.csv, in order.
    public static let columns = [
        "config", "replicate", "persona", "users", "cumulative_regret", "regret_per_user", "activation_rate",
        "retention_rate", "upgrade_rate", "final_champion_correct", "first_correct_day", "champion_changes",
        "rollbacks",
        "failed_jobs", "patterns",
    ]

    public init(config: String, replicate: Int, summary s: ReplicateSummary) {
        self.config = config
        self.replicate = replicate
        persona = s.persona
        users = s.users
        cumulativeRegret = s.cumulativeRegret
        regretPerUser = s.regretPerUser
        activationRate = s.activationRate
        retentionRate = s.retentionRate
        upgradeRate = s.upgradeRate
        finalChampionCorrect = s.finalChampionCorrect
        firstCorrectDay = s.firstCorrectDay
        championChanges = s.championChanges
        rollbacks = s.rollbacks
        failedJobs = s.failedJobs
        patterns = s.patterns
    }

    public init(
        config: String, replicate: Int, persona: String, users: Int, cumulativeRegret: Double, regretPerUser: Double,
        activationRate: Double?, retentionRate: Double?, upgradeRate: Double?, finalChampionCorrect: Bool?,
        firstCorrectDay: Int?, championChanges: Int, rollbacks: Int, failedJobs: Int, patterns: Int
    ) {
        self.config = config
        self.replicate = replicate
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
    }

    /// The continuous metrics compared between configurations, by column name.
    public static let continuousMetrics = [
        "cumulative_regret", "regret_per_user", "activation_rate", "retention_rate", "upgrade_rate", "champion_changes",
        "rollbacks", "failed_jobs", "patterns",
    ]

    /// The value of a continuous metric (nil when the row has none, e.g. an immature rate).
    public func value(_ metric: String) -> Double? {
        switch metric {
        case "users": return Double(users)
        case "cumulative_regret": return cumulativeRegret
        case "regret_per_user": return regretPerUser
        case "activation_rate": return activationRate
        case "retention_rate": return retentionRate
        case "upgrade_rate": return upgradeRate
        case "first_correct_day": return firstCorrectDay.map(Double.init)
        case "champion_changes": return Double(championChanges)
        case "rollbacks": return Double(rollbacks)
        case "failed_jobs": return Double(failedJobs)
        case "patterns": return Double(patterns)
        case "final_champion_correct": return finalChampionCorrect.map { $0 ? 1 : 0 }
        default: return nil
        }
    }
}
