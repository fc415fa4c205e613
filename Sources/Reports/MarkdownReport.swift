import Experiments
import Scenarios
import Simulation
import Stochastics

/// report.md: what to do first (the recommendation), then the truth, time to confidence, per-persona results,
/// comparisons, allocation health and charts — written from the result folder's own files (scenario, configs,
/// replicates, daily, health), so `compare` regenerates it identically.
public struct MarkdownReport: Sendable {
    public var scenario: Scenario
    public var configs: ConfigTable
    public var rows: [ReplicateRow]
    public var analysis: Analysis
    public var health: [HealthRow]
    /// (file name relative to the report, title) of charts written beside it.
    public var charts: [(file: String, title: String)]
    /// Settings given with `--set` on the command line (shown so the reader knows the file was not run as is).
    public var overrides: [(path: String, value: String)]
    /// Feasibility warnings (``Feasibility``): a `## Warnings` section after the recommendation when not empty.
    public var warnings: [FeasibilityWarning]
    /// inference.csv's rows (persona inference only): a section on the cost of misclassification.
    public var inference: [MisclassificationRow]
    /// Whether the folder has flows.csv (a scenario with a step funnel): the methods section names it.
    public var flows = false

    public init(
        scenario: Scenario, configs: ConfigTable, rows: [ReplicateRow], analysis: Analysis, health: [HealthRow] = [],
        charts: [(file: String, title: String)] = [], overrides: [(path: String, value: String)] = [],
        warnings: [FeasibilityWarning] = [], inference: [MisclassificationRow] = []
    ) {
        self.inference = inference
        self.warnings = warnings
        self.scenario = scenario
        self.configs = configs
        self.rows = rows
        self.analysis = analysis
        self.health = health
        self.charts = charts
        self.overrides = overrides
    }

    public var summaries: [SummaryEntry] { analysis.summaries }

    public var text: String {
        var out = "# \(scenario.name)\n\n"
        if !scenario.description.isEmpty { out += "\(scenario.description)\n\n" }
        let replicates = Set(rows.map(\.replicate)).count
        let o = scenario.objective
        out += "- configurations: \(configs.configs.count) (baseline `\(configs.baseline)`)\n"
        out += "- replicates per configuration: \(replicates)\n"
        out += "- horizon: \(scenario.horizonDays) days; seed \(scenario.seed)\n"
        out +=
            "- policy: \(scenario.engine.policy.rawValue), ε \(scenario.engine.epsilon) (law max \(scenario.engine.laws.maxEpsilon)), champion minimum sample \(max(scenario.engine.minChampionSample, scenario.engine.laws.minChampionSample))\n"
        out +=
            "- objective (the yardstick of regret and correctness): \(Format.number(o.activation7d)) · activation_7d + \(Format.number(o.retention30d)) · retention_30d + \(Format.number(o.speed)) · speed (H \(Format.number(o.speedHorizonMinutes)) min); the engine learns with its own weights \(Format.number(scenario.engine.weights.activation7d)) / \(Format.number(scenario.engine.weights.retention30d)) / \(Format.number(scenario.engine.weights.speed))\n"
        if !overrides.isEmpty {
            out +=
                "- set on the command line (`--set`): \(overrides.map { "`\($0.path)=\($0.value)`" }.joined(separator: ", "))\n"
        }
        out += "\n"
        out += RecommendationSection(recommendation: analysis.recommendation, configs: configs).text
        out += WarningsSection.markdown(warnings)
        out += truthSection()
        out += confidenceSection()

        if !configs.paths.isEmpty {
            out += "## Configurations\n\n| config | settings | baseline |\n|---|---|---|\n"
            for c in configs.configs {
                out += "| \(c.name) | \(configs.label(c.name)) | \(c.name == configs.baseline ? "yes" : "") |\n"
            }
            out += "\n"
        }
        out += resultsSection()
        out += InferenceSection(rows: inference, configs: configs).text
        if !analysis.comparisons.isEmpty {
            out += ComparisonSection(comparisons: analysis.comparisons, configs: configs).text
        }
        if !health.isEmpty { out += HealthSection(rows: health).text }

        if !charts.isEmpty {
            out += "## Charts\n\n"
            for chart in charts { out += "### \(chart.title)\n\n![\(chart.title)](\(chart.file))\n\n" }
        }
        out += Self.methods(horizon: scenario.horizonDays, inference: !inference.isEmpty, flows: flows)
        return out
    }

    /// The truth under the objective on day 0 and, when it changes (candidates, drift), on the last day.
    func truthSection() -> String {
        let last = scenario.horizonDays - 1
        guard let first = try? TruthTable.rows(scenario: scenario, day: 0) else { return "" }
        let end = (try? TruthTable.rows(scenario: scenario, day: last)) ?? first
        var out = "## The truth (what the engine has to find)\n\n"
        out +=
            "True rates of every flow and its true score under the objective; rank 1 is the true best among the flows users can be presented that day (`onboarding-lab truth` prints the same table for any day).\n\n"
        func table(_ rows: [TruthRow], day: Int) -> String {
            var t =
                "| persona | flow | activation 7d | retention 30d | mean time to first win (min) | true score | rank | gap to best | reach | drift days |\n|---|---|---|---|---|---|---|---|---|---|\n"
            for r in rows {
                t +=
                    "| \(r.persona) | \(r.rank == 1 && r.presentable ? "**\(r.flow)**" : r.flow) | \(Format.fixed(r.activation7d, 3)) | \(Format.fixed(r.retention30d, 3)) | \(Format.fixed(r.meanTimeToFirstWinMinutes, 1)) | \(Format.fixed(r.trueScore, 4)) | \(r.rank) | \(Format.fixed(r.gapToBest, 4)) | \(TruthTable.reach(r)) | \(r.driftDays.map(String.init).joined(separator: ", ")) |\n"
            }
            return t + "\n"
        }
        out += "### Day 0\n\n" + table(first, day: 0)
        if end != first { out += "### Day \(last) (the horizon)\n\n" + table(end, day: last) }
        return out
    }

    func confidenceSection() -> String {
        guard !analysis.confidence.isEmpty else { return "" }
        let target = Format.percent(analysis.confidenceTarget)
        var out = "## Time to confidence\n\n"
        out +=
            "First day from which at least \(target) of replicates have the true best flow as champion and keep it to the horizon (day \(scenario.horizonDays - 1)); the share on that day with its 95% Wilson interval.\n\n"
        out += "| persona | config | days to \(target) | share correct that day | replicates |\n|---|---|---|---|---|\n"
        for persona in Summaries.personas(of: rows) where persona != "ALL" {
            for c in configs.configs {
                guard let d = analysis.confidence.first(where: { $0.config == c.name && $0.persona == persona })
                else { continue }
                let day = d.day.map(String.init) ?? "not reached (day \(d.evaluatedDay): below \(target))"
                out +=
                    "| \(persona) | \(c.name) | \(day) | \(Format.fixed(d.estimate, 3)) [\(Format.fixed(d.interval.lower, 3)), \(Format.fixed(d.interval.upper, 3))] | \(d.replicates) |\n"
            }
        }
        return out + "\n"
    }

    func resultsSection() -> String {
        let trueBest = TruthTable.trueBest(scenario: scenario, day: scenario.horizonDays - 1)
        var out = "## Results per persona\n\n"
        out +=
            "Means over replicates with 95% intervals (percentile bootstrap for means, Wilson for proportions). *Final champion correct*: share of replicates whose champion at the horizon is the true best flow. *First correct day*: a replicate that never converged counts as the horizon (\(scenario.horizonDays)); `conv.` says how many converged.\n\n"
        let columns: [Metric] = [
            .finalChampionCorrect, .firstCorrectDay, .cumulativeRegret, .regretPerUser, .activationRate, .failedJobs,
        ]
        for persona in Summaries.personas(of: rows) {
            out += "### \(persona)\n\n"
            out += "| config | true best (day \(scenario.horizonDays - 1)) | "
            out += columns.map(\.title).joined(separator: " | ") + " |\n"
            out += "|---|---|" + String(repeating: "---|", count: columns.count) + "\n"
            for c in configs.configs {
                guard let s = summaries.first(where: { $0.config == c.name && $0.persona == persona }) else { continue }
                let best = persona == "ALL" ? "–" : trueBest[persona] ?? "–"
                out +=
                    "| \(c.name) | \(best) | "
                    + columns.map { Self.cell(s.metric($0), $0.decimals) }.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        return out
    }

    static let inferenceLine =
        "- `inference.csv`: per configuration × replicate × true persona, users, those inferred as another persona, and the regret of each.\n"

    static let flowsLine =
        "- `flows.csv`: per configuration × replicate × signup day × persona × flow shown, users presented, completing every step, activated, retained, upgraded.\n"

    static func cell(_ m: MetricSummary?, _ digits: Int) -> String {
        guard let m else { return "–" }
        let base =
            "\(Format.fixed(m.mean, digits)) [\(Format.fixed(m.interval.lower, digits)), \(Format.fixed(m.interval.upper, digits))]"
        return m.converged.map { base + " (conv. \($0)/\(m.n))" } ?? base
    }

    /// The methods section; `inference` and `flows` add the lines on inference.csv and flows.csv (the folders
    /// without them keep the text they always had).
    static func methods(horizon: Int, inference: Bool = false, flows: Bool = false) -> String {
        """
        ## Methods and how to read these files

        - Intervals of means: percentile bootstrap (4,000 resamples, fixed seed; never outside the observed range, \
        so never negative for regret, days or counts). Proportions: Wilson score interval.
        - Comparisons: paired over replicates (common random numbers: replicate r of every configuration saw the same \
        users). Paired t-test (mean difference, t interval) with the Wilcoxon signed-rank test beside it \
        (Hodges–Lehmann estimate with Tukey's interval); McNemar for final champion correct; Holm-adjusted across \
        configurations within persona × metric × test; α = 0.05.
        - `first_correct_day` is censored at the horizon (\(horizon)) in summaries, comparisons and `tune` alike.
        - `daily.csv`: one row per configuration × replicate × day × persona (signups, explore/exploit/holdback counts, \
        champion vs true best, activation rate of the day's signups once they are 7 days old, regret).
        - `replicates.csv`: one row per configuration × replicate × persona, plus `ALL`.
        - `configs.csv`: the swept settings of each configuration; `baseline` marks the reference.
        - `comparison.csv` / `summary.json`: paired comparisons against the baseline, every metric's mean and interval, \
        time to confidence.
        - `activation_regret.csv`: regret on 7-day activation alone, per configuration × replicate × persona.
        \(inference ? inferenceLine : "")\(flows ? flowsLine : "")- `health.csv`: observed explore share against the effective ε per day, with a chi-square sample-ratio p-value.

        """
    }
}
