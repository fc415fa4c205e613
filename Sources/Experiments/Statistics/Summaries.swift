import Stochastics

/// The mean and 95% interval of one metric for one configuration and persona (summary.json, report.md).
public struct MetricSummary: Sendable, Equatable {
    public enum Method: String, Sendable {
        /// Student t interval of the mean over replicates.
        case tMean = "t_mean"
        /// Wilson score interval of a proportion of replicates.
        case wilson
    }

    public var metric: String
    public var n: Int
    public var mean: Double
    public var interval: Interval
    public var method: Method
}

/// The summaries of one configuration × persona.
public struct SummaryEntry: Sendable, Equatable {
    public var config: String
    public var persona: String
    public var metrics: [MetricSummary]

    public func metric(_ name: String) -> MetricSummary? { metrics.first { $0.metric == name } }
}

/// Summaries of replicates.csv rows (SPEC §3): every continuous metric as a mean with a t interval (over the
/// replicates that have a value), `final_champion_correct` as a proportion with a Wilson interval, and
/// `first_correct_day` over the replicates where the champion became and stayed correct.
public enum Summaries {
    /// Metrics in summary order.
    public static let metrics = ReplicateRow.continuousMetrics + ["first_correct_day", "final_champion_correct"]

    public static func summarize(_ rows: [ReplicateRow], configs: ConfigTable) throws -> [SummaryEntry] {
        var entries: [SummaryEntry] = []
        for persona in personas(of: rows) {
            for config in configs.configs.map(\.name) {
                let group = rows.filter { $0.config == config && $0.persona == persona }
                guard !group.isEmpty else { continue }
                var metrics: [MetricSummary] = []
                for metric in Self.metrics {
                    if metric == "final_champion_correct" {
                        let flags = group.compactMap(\.finalChampionCorrect)
                        guard !flags.isEmpty else { continue }
                        let k = flags.filter { $0 }.count
                        metrics.append(
                            MetricSummary(
                                metric: metric, n: flags.count, mean: Double(k) / Double(flags.count),
                                interval: try Intervals.wilson(successes: k, trials: flags.count), method: .wilson))
                    } else {
                        let values = group.compactMap { $0.value(metric) }
                        guard !values.isEmpty else { continue }
                        let estimate = try Intervals.tMean(values)
                        metrics.append(
                            MetricSummary(
                                metric: metric, n: estimate.n, mean: estimate.mean, interval: estimate.interval,
                                method: .tMean))
                    }
                }
                entries.append(SummaryEntry(config: config, persona: persona, metrics: metrics))
            }
        }
        return entries
    }

    /// Personas in first-appearance order, `ALL` last.
    public static func personas(of rows: [ReplicateRow]) -> [String] {
        var seen: [String] = []
        for r in rows where !seen.contains(r.persona) && r.persona != "ALL" { seen.append(r.persona) }
        if rows.contains(where: { $0.persona == "ALL" }) { seen.append("ALL") }
        return seen
    }
}
