import Stochastics

/// The mean and 95% interval of one metric for one configuration and persona (summary.json, report.md).
public struct MetricSummary: Sendable, Equatable {
    public enum Method: String, Sendable {
        /// Percentile bootstrap interval of the mean over replicates (never outside the observed range, so never
        /// negative for a non-negative metric).
        case bootstrapPercentile = "bootstrap_percentile"
        /// Wilson score interval of a proportion of replicates.
        case wilson
    }

    public var metric: Metric
    public var n: Int
    public var mean: Double
    public var interval: Interval
    public var method: Method
    /// For `first_correct_day`: how many of the n replicates converged (the others count as the horizon).
    public var converged: Int?
}

/// The summaries of one configuration × persona.
public struct SummaryEntry: Sendable, Equatable {
    public var config: String
    public var persona: String
    public var metrics: [MetricSummary]

    public func metric(_ metric: Metric) -> MetricSummary? { metrics.first { $0.metric == metric } }
}

/// Summaries of replicates.csv rows (SPEC §3): every continuous metric as a mean with a percentile bootstrap
/// interval (over the replicates that have a value), `final_champion_correct` as a proportion with a Wilson
/// interval. `first_correct_day` is censored at the horizon: a replicate whose champion never became and stayed
/// correct counts as the horizon (as in comparisons and `tune`), and the summary says how many converged.
public enum Summaries {
    /// Seed of the bootstrap's generator: fixed, so the same replicates give the same interval.
    static let bootstrapSeed: UInt64 = 20_261_130

    public static func summarize(_ rows: [ReplicateRow], configs: ConfigTable, horizonDays: Int?) throws
        -> [SummaryEntry]
    {
        var entries: [SummaryEntry] = []
        for persona in personas(of: rows) {
            for config in configs.configs.map(\.name) {
                let group = rows.filter { $0.config == config && $0.persona == persona }
                guard !group.isEmpty else { continue }
                var metrics: [MetricSummary] = []
                for metric in Metric.allCases {
                    if let summary = try summarize(metric, group, horizonDays: horizonDays) {
                        metrics.append(summary)
                    }
                }
                entries.append(SummaryEntry(config: config, persona: persona, metrics: metrics))
            }
        }
        return entries
    }

    static func summarize(_ metric: Metric, _ group: [ReplicateRow], horizonDays: Int?) throws -> MetricSummary? {
        switch metric.kind {
        case .binary:
            let flags = group.compactMap { $0.value(metric) }
            guard !flags.isEmpty else { return nil }
            let k = flags.filter { $0 == 1 }.count
            return MetricSummary(
                metric: metric, n: flags.count, mean: Double(k) / Double(flags.count),
                interval: try Intervals.wilson(successes: k, trials: flags.count), method: .wilson)
        case .continuous:
            let values = group.compactMap { $0.value(metric, censoredAt: horizonDays) }
            guard !values.isEmpty else { return nil }
            let estimate = try Intervals.bootstrapMean(values, seed: bootstrapSeed)
            let converged = metric == .firstCorrectDay ? group.filter { $0.firstCorrectDay != nil }.count : nil
            return MetricSummary(
                metric: metric, n: estimate.n, mean: estimate.mean, interval: estimate.interval,
                method: .bootstrapPercentile, converged: converged)
        }
    }

    /// Personas in first-appearance order, `ALL` last.
    public static func personas(of rows: [ReplicateRow]) -> [String] {
        var seen: [String] = []
        for r in rows where !seen.contains(r.persona) && r.persona != "ALL" { seen.append(r.persona) }
        if rows.contains(where: { $0.persona == "ALL" }) { seen.append("ALL") }
        return seen
    }
}
