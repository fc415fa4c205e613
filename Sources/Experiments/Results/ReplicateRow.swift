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
    public static let continuousMetrics = Metric.allCases.filter { $0.kind == .continuous && $0 != .firstCorrectDay }
        .map(\.rawValue)

    /// The value of a metric by column name (see ``Metric/value(_:censoredAt:)``); `users` too.
    public func value(_ metric: String, censoredAt horizon: Int? = nil) -> Double? {
        if metric == "users" { return Double(summary.users) }
        return Metric(rawValue: metric)?.value(summary, censoredAt: horizon)
    }

    public func value(_ metric: Metric, censoredAt horizon: Int? = nil) -> Double? {
        metric.value(summary, censoredAt: horizon)
    }
}
