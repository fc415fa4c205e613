import Stochastics

/// One significant difference from the baseline (paired t for continuous metrics, McNemar for
/// `final_champion_correct`, Holm-adjusted p below α).
public struct Finding: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case better, worse
        /// A metric without a better direction (champion changes, patterns).
        case different
    }

    public var config: String
    public var persona: String
    public var metric: Metric
    public var test: String
    /// config − baseline.
    public var estimate: Double
    public var interval: Interval?
    public var pAdjusted: Double
    /// The baseline's mean of the metric (summary), the reference of `relative`.
    public var baselineMean: Double?
    public var verdict: Verdict

    /// estimate / baseline mean, when the baseline mean is positive.
    public var relative: Double? { baselineMean.flatMap { $0 > 0 ? estimate / $0 : nil } }
    /// The interval divided by the baseline mean (the baseline mean taken as known). For a non-negative metric
    /// the configuration's mean cannot be below 0, so the relative change is at least −100%.
    public var relativeInterval: Interval? {
        guard let interval, let mean = baselineMean, mean > 0 else { return nil }
        let floor = metric.isNonNegative ? -1.0 : -Double.infinity
        return Interval(lower: max(interval.lower / mean, floor), upper: max(interval.upper / mean, floor))
    }

    /// Ordering key: the size of the effect, relative when possible.
    var size: Double { abs(relative ?? estimate) }
}

/// The best configuration of one persona on one metric.
public struct BestConfiguration: Sendable, Equatable {
    public var persona: String
    public var metric: Metric
    public var config: String
    public var summary: MetricSummary
    /// Whether it differs significantly from the baseline (false for the baseline itself).
    public var significant: Bool
}

/// What report.md's `## Recommendation` says: which configuration to choose on the business objective (cumulative
/// regret under the scenario's `objective`, pooled over personas), what it gains and costs against the baseline,
/// the best configuration on every metric, and every significant difference ordered by size.
public struct Recommendation: Sendable, Equatable {
    public var alpha: Double
    /// The metric the recommendation optimises: cumulative regret (the objective's loss), `ALL` personas.
    public var primary: Metric
    public var baseline: String
    /// The configuration with the lowest mean cumulative regret among those significantly better than the baseline;
    /// the baseline when none is.
    public var recommended: String
    /// Whether `recommended` is significantly better than the baseline on the primary metric.
    public var beatsBaseline: Bool
    /// The recommended configuration's significant gains and costs against the baseline (every persona and metric),
    /// largest first.
    public var gains: [Finding]
    public var costs: [Finding]
    /// Per persona (and `ALL`) and metric with a direction: the best configuration.
    public var best: [BestConfiguration]
    /// Every significant difference, largest first.
    public var findings: [Finding]
    /// Configurations compared (the baseline included).
    public var configurations: Int

    public init(
        comparisons: [ComparisonRow], summaries: [SummaryEntry], configs: ConfigTable, alpha: Double = 0.05
    ) {
        self.alpha = alpha
        self.primary = .cumulativeRegret
        self.baseline = configs.baseline
        self.configurations = configs.configs.count
        func summary(_ config: String, _ persona: String, _ metric: Metric) -> MetricSummary? {
            summaries.first { $0.config == config && $0.persona == persona }?.metric(metric)
        }
        var findings: [Finding] = []
        for row in comparisons where row.pAdjusted < alpha {
            guard let metric = Metric(rawValue: row.metric),
                row.test == (metric.kind == .binary ? TestResult.Name.mcnemar : TestResult.Name.pairedT),
                row.estimate != 0
            else { continue }
            let verdict: Finding.Verdict
            switch metric.biggerIsBetter {
            case .some(true): verdict = row.estimate > 0 ? .better : .worse
            case .some(false): verdict = row.estimate < 0 ? .better : .worse
            case .none: verdict = .different
            }
            findings.append(
                Finding(
                    config: row.config, persona: row.persona, metric: metric, test: row.test, estimate: row.estimate,
                    interval: row.interval, pAdjusted: row.pAdjusted,
                    baselineMean: summary(row.baseline, row.persona, metric)?.mean, verdict: verdict))
        }
        findings.sort {
            ($0.size, $1.config, $1.persona, $1.metric.rawValue) > ($1.size, $0.config, $0.persona, $0.metric.rawValue)
        }
        self.findings = findings

        let winners = findings.filter {
            $0.persona == "ALL" && $0.metric == .cumulativeRegret && $0.verdict == .better
        }.map(\.config)
        let recommended =
            winners.min {
                (summary($0, "ALL", .cumulativeRegret)?.mean ?? .infinity, $0)
                    < (summary($1, "ALL", .cumulativeRegret)?.mean ?? .infinity, $1)
            } ?? configs.baseline
        self.recommended = recommended
        self.beatsBaseline = recommended != configs.baseline
        self.gains = findings.filter { $0.config == recommended && $0.verdict == .better }
        self.costs = findings.filter { $0.config == recommended && $0.verdict == .worse }

        var best: [BestConfiguration] = []
        for persona in Array(Set(summaries.map(\.persona))).sorted(by: Self.personaOrder) {
            for metric in Metric.allCases {
                guard let bigger = metric.biggerIsBetter else { continue }
                let candidates = configs.configs.compactMap { c in summary(c.name, persona, metric).map { (c.name, $0) }
                }
                guard
                    let top = candidates.min(by: { a, b in
                        let (x, y) = bigger ? (-a.1.mean, -b.1.mean) : (a.1.mean, b.1.mean)
                        return x != y ? x < y : a.0 == configs.baseline && b.0 != configs.baseline
                    })
                else { continue }
                let significant = findings.contains {
                    $0.config == top.0 && $0.persona == persona && $0.metric == metric
                }
                best.append(
                    BestConfiguration(
                        persona: persona, metric: metric, config: top.0, summary: top.1, significant: significant))
            }
        }
        self.best = best
    }

    /// Personas alphabetically, `ALL` first.
    static func personaOrder(_ a: String, _ b: String) -> Bool {
        if a == "ALL" || b == "ALL" { return a == "ALL" && b != "ALL" }
        return a < b
    }
}
