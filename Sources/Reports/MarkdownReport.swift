import Experiments
import Scenarios
import Stochastics

/// report.md: the tables a researcher reads first, written from the result folder's own files (scenario,
/// configs, replicates, comparisons, health), so `compare` regenerates it identically.
public struct MarkdownReport: Sendable {
    public var scenario: Scenario
    public var configs: ConfigTable
    public var rows: [ReplicateRow]
    public var summaries: [SummaryEntry]
    public var comparisons: [ComparisonRow]
    public var health: [HealthRow]
    /// (file name relative to the report, title) of charts written beside it.
    public var charts: [(file: String, title: String)]
    /// Feasibility warnings (``Feasibility``): a `## Warnings` section after the heading when not empty.
    public var warnings: [FeasibilityWarning] = []

    public init(
        scenario: Scenario, configs: ConfigTable, rows: [ReplicateRow], summaries: [SummaryEntry],
        comparisons: [ComparisonRow] = [],
        health: [HealthRow] = [], charts: [(file: String, title: String)] = []
    ) {
        self.scenario = scenario
        self.configs = configs
        self.rows = rows
        self.summaries = summaries
        self.comparisons = comparisons
        self.health = health
        self.charts = charts
    }

    public var text: String {
        var out = "# \(scenario.name)\n\n"
        if !scenario.description.isEmpty { out += "\(scenario.description)\n\n" }
        let replicates = Set(rows.map(\.replicate)).count
        out += "- configurations: \(configs.configs.count) (baseline `\(configs.baseline)`)\n"
        out += "- replicates per configuration: \(replicates)\n"
        out += "- horizon: \(scenario.horizonDays) days; seed \(scenario.seed)\n"
        out +=
            "- policy: \(scenario.engine.policy), ε \(scenario.engine.epsilon) (law max \(scenario.governance.maxEpsilon)), champion minimum sample \(max(scenario.engine.minChampionSample, scenario.governance.minChampionSample))\n\n"
        out += WarningsSection.markdown(warnings)

        if !configs.paths.isEmpty {
            out += "## Configurations\n\n| config | settings | baseline |\n|---|---|---|\n"
            for c in configs.configs {
                out += "| \(c.name) | \(configs.label(c.name)) | \(c.name == configs.baseline ? "yes" : "") |\n"
            }
            out += "\n"
        }

        let trueBest = TrueBest.table(scenario: scenario, configs: configs, day: scenario.horizonDays - 1)
        out += "## Results per persona\n\n"
        out +=
            "Means over replicates with 95% intervals (t for means, Wilson for proportions). *Final champion correct*: share of replicates whose champion at the horizon is the true best flow.\n\n"
        for persona in Summaries.personas(of: rows) {
            out += "### \(persona)\n\n"
            out +=
                "| config | true best (day \(scenario.horizonDays - 1)) | final champion correct | first correct day | cumulative regret | regret / user | activation rate | failed jobs |\n"
            out += "|---|---|---|---|---|---|---|---|\n"
            for c in configs.configs {
                guard let s = summaries.first(where: { $0.config == c.name && $0.persona == persona }) else { continue }
                let best = persona == "ALL" ? "–" : trueBest[persona]?[c.name] ?? "–"
                out +=
                    "| \(c.name) | \(best) | \(cell(s.metric("final_champion_correct"), 2)) | \(cell(s.metric("first_correct_day"), 1, showN: true)) | \(cell(s.metric("cumulative_regret"), 1)) | \(cell(s.metric("regret_per_user"), 4)) | \(cell(s.metric("activation_rate"), 3)) | \(cell(s.metric("failed_jobs"), 1)) |\n"
            }
            out += "\n"
        }

        if !comparisons.isEmpty { out += ComparisonSection(comparisons: comparisons, configs: configs).text }
        if !health.isEmpty { out += HealthSection(rows: health).text }

        if !charts.isEmpty {
            out += "## Charts\n\n"
            for chart in charts { out += "### \(chart.title)\n\n![\(chart.title)](\(chart.file))\n\n" }
        }

        out += """
            ## How to read these files

            - `daily.csv`: one row per configuration × replicate × day × persona (signups, explore/exploit/holdback counts, \
            champion vs true best, activation rate of the day's signups once they are 7 days old, regret).
            - `replicates.csv`: one row per configuration × replicate × persona, plus `ALL`.
            - `configs.csv`: the swept settings of each configuration; `baseline` marks the reference.
            - `comparison.csv` / `summary.json`: paired comparisons against the baseline, and every metric's mean and interval.
            - `activation_regret.csv`: regret on 7-day activation alone, per configuration × replicate × persona.
            - `health.csv`: observed explore share against the effective ε per day, with a chi-square sample-ratio p-value.

            """
        return out
    }

    func cell(_ m: MetricSummary?, _ digits: Int, showN: Bool = false) -> String {
        guard let m else { return "–" }
        let base =
            "\(Format.fixed(m.mean, digits)) [\(Format.fixed(m.interval.lower, digits)), \(Format.fixed(m.interval.upper, digits))]"
        return showN ? base + " (n=\(m.n))" : base
    }
}
