import Stochastics

/// One row of comparison.csv (SPEC §4): a non-baseline configuration against the baseline, for one persona,
/// metric and test.
public struct ComparisonRow: Sendable, Equatable {
    public var config: String
    public var baseline: String
    public var persona: String
    public var metric: String
    public var test: String
    /// Pairs (replicates where both configurations have the metric).
    public var n: Int
    /// Mean paired difference config − baseline (paired t), Hodges–Lehmann estimate of the paired difference
    /// (Wilcoxon), or difference of proportions (McNemar).
    public var estimate: Double
    public var interval: Interval?
    public var pValue: Double
    /// Holm-adjusted across the configurations of one persona, metric and test.
    public var pAdjusted: Double

    public static let columns = [
        "config", "baseline", "persona", "metric", "test", "n", "estimate", "ci_low", "ci_high", "p_value",
        "p_adjusted",
    ]
}

/// Paired comparisons of every configuration against the baseline (SPEC §3), using common random numbers:
/// replicate r of every configuration saw the same users, so differences are taken per replicate.
///
/// - continuous metrics: paired t-test (mean difference with its t interval) and, beside it, the Wilcoxon
///   signed-rank test (its estimate is the Hodges–Lehmann median of the paired differences, not their mean, with
///   Tukey's Walsh-average interval, or none when there are too few pairs);
/// - `final_champion_correct`: McNemar's test on the paired binary outcomes (difference of proportions with
///   Newcombe's paired interval).
/// p-values are Holm-adjusted across configurations within each persona × metric × test (Holm 1979).
public enum Comparisons {
    /// The metrics compared with paired t and Wilcoxon tests (every continuous metric).
    public static let metrics = Metric.allCases.filter { $0.kind == .continuous }

    /// `horizonDays` censors `first_correct_day`: a replicate that never converged counts as the horizon.
    public static func compare(
        _ rows: [ReplicateRow], configs: ConfigTable, horizonDays: Int?, level: Double = 0.95
    ) -> [ComparisonRow] {
        let baseline = configs.baseline
        var result: [ComparisonRow] = []
        var index: [String: [String: [Int: ReplicateRow]]] = [:]  // config → persona → replicate
        for r in rows { index[r.config, default: [:]][r.persona, default: [:]][r.replicate] = r }
        let others = configs.configs.map(\.name).filter { $0 != baseline }
        for persona in Summaries.personas(of: rows) {
            let base = index[baseline]?[persona] ?? [:]
            var families: [[ComparisonRow]] = []
            for metric in metrics {
                var tRows: [ComparisonRow] = []
                var wRows: [ComparisonRow] = []
                for config in others {
                    let mine = index[config]?[persona] ?? [:]
                    var x: [Double] = []
                    var y: [Double] = []
                    for replicate in mine.keys.sorted() {
                        guard let a = mine[replicate]?.value(metric, censoredAt: horizonDays),
                            let b = base[replicate]?.value(metric, censoredAt: horizonDays)
                        else { continue }
                        x.append(a)
                        y.append(b)
                    }
                    if let t = try? HypothesisTests.pairedT(x, y, level: level) {
                        tRows.append(row(config, baseline, persona, metric.rawValue, t))
                    }
                    if let w = try? HypothesisTests.wilcoxonSignedRank(x, y, level: level) {
                        wRows.append(row(config, baseline, persona, metric.rawValue, w))
                    }
                }
                families.append(tRows)
                families.append(wRows)
            }
            if persona != "ALL" {
                var mRows: [ComparisonRow] = []
                for config in others {
                    let mine = index[config]?[persona] ?? [:]
                    var x: [Bool] = []
                    var y: [Bool] = []
                    for replicate in mine.keys.sorted() {
                        guard let a = mine[replicate]?.finalChampionCorrect,
                            let b = base[replicate]?.finalChampionCorrect
                        else { continue }
                        x.append(a)
                        y.append(b)
                    }
                    if let m = try? HypothesisTests.mcnemar(x, y, level: level) {
                        mRows.append(row(config, baseline, persona, Metric.finalChampionCorrect.rawValue, m))
                    }
                }
                families.append(mRows)
            }
            for family in families {
                let adjusted = MultipleComparisons.holm(family.map(\.pValue))
                for (r, p) in zip(family, adjusted) {
                    var r = r
                    r.pAdjusted = p
                    result.append(r)
                }
            }
        }
        return result
    }

    static func row(_ config: String, _ baseline: String, _ persona: String, _ metric: String, _ t: TestResult)
        -> ComparisonRow
    {
        ComparisonRow(
            config: config, baseline: baseline, persona: persona, metric: metric, test: t.test, n: t.n,
            estimate: t.estimate,
            interval: t.interval, pValue: t.pValue, pAdjusted: t.pValue)
    }
}
