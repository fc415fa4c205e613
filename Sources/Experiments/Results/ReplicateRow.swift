import Simulation

/// One row of replicates.csv (SPEC §4): one configuration × replicate × persona (or `ALL`).
///
/// Comparisons, `check` and `compare` work from these rows alone, so `compare DIR` can recompute everything
/// from replicates.csv and configs.csv.
@dynamicMemberLookup
public struct ReplicateRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    /// The simulator's summary; its fields read through (`row.cumulativeRegret`). A row parsed back from
    /// replicates.csv has 0 for `cumulativeActivationRegret`, which the file does not hold.
    public var summary: ReplicateSummary

    /// The columns of replicates.csv, in order.
    public static let columns = [
        "config", "replicate", "persona", "users", "cumulative_regret", "regret_per_user", "activation_rate",
        "retention_rate", "upgrade_rate", "final_champion_correct", "first_correct_day", "champion_changes",
        "rollbacks",
        "failed_jobs", "patterns",
    ]

    public init(config: String, replicate: Int, summary: ReplicateSummary) {
        self.config = config
        self.replicate = replicate
        self.summary = summary
    }

    /// A row from the values of replicates.csv.
    public init(
        config: String, replicate: Int, persona: String, users: Int, cumulativeRegret: Double, regretPerUser: Double,
        activationRate: Double?, retentionRate: Double?, upgradeRate: Double?, finalChampionCorrect: Bool?,
        firstCorrectDay: Int?, championChanges: Int, rollbacks: Int, failedJobs: Int, patterns: Int
    ) {
        self.init(
            config: config, replicate: replicate,
            summary: ReplicateSummary(
                persona: persona, users: users, cumulativeRegret: cumulativeRegret, regretPerUser: regretPerUser,
                activationRate: activationRate, retentionRate: retentionRate, upgradeRate: upgradeRate,
                finalChampionCorrect: finalChampionCorrect, firstCorrectDay: firstCorrectDay,
                championChanges: championChanges, rollbacks: rollbacks, failedJobs: failedJobs, patterns: patterns,
                cumulativeActivationRegret: 0))
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<ReplicateSummary, Value>) -> Value {
        summary[keyPath: keyPath]
    }

    /// The continuous metrics compared between configurations, by column name.
    public static let continuousMetrics = [
        "cumulative_regret", "regret_per_user", "activation_rate", "retention_rate", "upgrade_rate", "champion_changes",
        "rollbacks", "failed_jobs", "patterns",
    ]

    /// The value of a continuous metric (nil when the row has none, e.g. an immature rate).
    ///
    /// `first_correct_day` is nil for a replicate whose champion never became and stayed correct; with
    /// `censoredAt` (the horizon) such a replicate counts as that day instead, so a configuration that rarely
    /// converges is not compared on its few lucky replicates only (comparisons and racing use this).
    public func value(_ metric: String, censoredAt horizon: Int? = nil) -> Double? {
        if metric == "first_correct_day", summary.firstCorrectDay == nil, let horizon { return Double(horizon) }
        switch metric {
        case "users": return Double(summary.users)
        case "cumulative_regret": return summary.cumulativeRegret
        case "regret_per_user": return summary.regretPerUser
        case "activation_rate": return summary.activationRate
        case "retention_rate": return summary.retentionRate
        case "upgrade_rate": return summary.upgradeRate
        case "first_correct_day": return summary.firstCorrectDay.map(Double.init)
        case "champion_changes": return Double(summary.championChanges)
        case "rollbacks": return Double(summary.rollbacks)
        case "failed_jobs": return Double(summary.failedJobs)
        case "patterns": return Double(summary.patterns)
        case "final_champion_correct": return summary.finalChampionCorrect.map { $0 ? 1 : 0 }
        default: return nil
        }
    }
}
