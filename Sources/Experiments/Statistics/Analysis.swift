import Scenarios

/// Everything the analysis files (comparison.csv, summary.json, report.md) say about a results folder, computed
/// once from its tables: comparisons with the baseline, summaries, time to confidence and the recommendation.
public struct Analysis: Sendable {
    public var comparisons: [ComparisonRow]
    public var summaries: [SummaryEntry]
    /// Empty when the folder has no daily rows.
    public var confidence: [ConfidenceDay]
    public var confidenceTarget: Double
    public var recommendation: Recommendation

    /// - Parameters:
    ///   - daily: the folder's daily rows, for time to confidence (empty: not computed).
    ///   - confidenceTarget: the share of replicates whose champion must be the true best (in (0, 1)).
    public init(
        scenario: Scenario, configs: ConfigTable, rows: [ReplicateRow], daily: [DailyRow],
        confidenceTarget: Double = TimeToConfidence.defaultTarget
    ) throws {
        comparisons = Comparisons.compare(rows, configs: configs, horizonDays: scenario.horizonDays)
        summaries = try Summaries.summarize(rows, configs: configs, horizonDays: scenario.horizonDays)
        confidence = try TimeToConfidence.compute(daily, target: confidenceTarget)
        self.confidenceTarget = confidenceTarget
        recommendation = Recommendation(comparisons: comparisons, summaries: summaries, configs: configs)
    }
}
