import Simulation

/// A per-replicate metric of replicates.csv (SPEC §3): its column, how it is read from a replicate's summary, its
/// unit, which direction is better and which statistics apply. Summaries, comparisons, `tune` objectives and
/// constraints and the report all derive their lists from `Metric.allCases`.
public enum Metric: String, CaseIterable, Sendable, Codable {
    case cumulativeRegret = "cumulative_regret"
    case regretPerUser = "regret_per_user"
    case activationRate = "activation_rate"
    case retentionRate = "retention_rate"
    case upgradeRate = "upgrade_rate"
    case championChanges = "champion_changes"
    case rollbacks
    case failedJobs = "failed_jobs"
    case patterns
    case firstCorrectDay = "first_correct_day"
    case finalChampionCorrect = "final_champion_correct"

    /// The replicates.csv column.
    public var column: String { rawValue }

    /// How a metric is summarised and compared.
    public enum Kind: Sendable {
        /// A number per replicate: mean with a bootstrap interval; paired t and Wilcoxon signed-rank.
        case continuous
        /// A yes/no per replicate: proportion with a Wilson interval; McNemar.
        case binary
    }

    public var kind: Kind { self == .finalChampionCorrect ? .binary : .continuous }

    /// True when a larger value is better for the business (rates, correctness); regret, days to converge,
    /// rollbacks and failures are better small. Counts whose direction is a matter of taste (champion changes,
    /// patterns) are `nil`: they are reported but never called "better".
    public var biggerIsBetter: Bool? {
        switch self {
        case .activationRate, .retentionRate, .upgradeRate, .finalChampionCorrect: return true
        case .cumulativeRegret, .regretPerUser, .firstCorrectDay, .rollbacks, .failedJobs: return false
        case .championChanges, .patterns: return nil
        }
    }

    /// Every metric is ≥ 0 (regret, rates, days, counts): intervals of their means must not go below 0.
    public var isNonNegative: Bool { true }

    public var unit: String {
        switch self {
        case .cumulativeRegret: return "win score × users"
        case .regretPerUser: return "win score per user"
        case .activationRate, .retentionRate, .upgradeRate, .finalChampionCorrect: return "share"
        case .championChanges, .rollbacks, .failedJobs, .patterns: return "count"
        case .firstCorrectDay: return "day"
        }
    }

    /// Words for people ("cumulative regret").
    public var title: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// Decimals shown in report.md.
    public var decimals: Int {
        switch self {
        case .cumulativeRegret, .firstCorrectDay, .championChanges, .rollbacks, .failedJobs, .patterns: return 1
        case .regretPerUser: return 4
        case .activationRate, .retentionRate, .upgradeRate: return 3
        case .finalChampionCorrect: return 2
        }
    }

    /// Whether the metric has a value for the `ALL` row (a champion is per persona).
    public var appliesToAll: Bool { self != .finalChampionCorrect }

    /// The metric's value in one replicate (nil when it has none, e.g. an immature rate).
    ///
    /// `first_correct_day` is nil for a replicate whose champion never became and stayed correct; with
    /// `censoredAt` (the horizon) such a replicate counts as that day instead, so a configuration that rarely
    /// converges is not judged on its few lucky replicates (summaries, comparisons and racing all do this).
    public func value(_ s: ReplicateSummary, censoredAt horizon: Int? = nil) -> Double? {
        switch self {
        case .cumulativeRegret: return s.cumulativeRegret
        case .regretPerUser: return s.regretPerUser
        case .activationRate: return s.activationRate
        case .retentionRate: return s.retentionRate
        case .upgradeRate: return s.upgradeRate
        case .championChanges: return Double(s.championChanges)
        case .rollbacks: return Double(s.rollbacks)
        case .failedJobs: return Double(s.failedJobs)
        case .patterns: return Double(s.patterns)
        case .firstCorrectDay: return s.firstCorrectDay.map(Double.init) ?? horizon.map(Double.init)
        case .finalChampionCorrect: return s.finalChampionCorrect.map { $0 ? 1 : 0 }
        }
    }

    /// The metric named `name`, or an error listing the known names.
    public static func named(_ name: String) throws -> Metric {
        guard let metric = Metric(rawValue: name) else {
            throw MetricError(
                "unknown metric '\(name)'; metrics: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return metric
    }
}

public struct MetricError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
