import Experiments
import OnboardingEngine
import Stochastics

extension ResultTables {
    /// comparison.csv.
    public static func comparison(_ rows: [ComparisonRow]) -> CSVTable {
        CSVTable(
            header: ComparisonRow.columns,
            rows: rows.map { r in
                [
                    r.config, r.baseline, r.persona, r.metric, r.test, String(r.n), Format.number(r.estimate),
                    Format.number(r.interval?.lower), Format.number(r.interval?.upper), Format.number(r.pValue),
                    Format.number(r.pAdjusted),
                ]
            })
    }

    /// health.csv.
    public static func health(_ rows: [HealthRow]) -> CSVTable {
        CSVTable(
            header: HealthRow.columns,
            rows: rows.map { r in
                [
                    r.config, String(r.replicate), String(r.day), String(r.users), String(r.explore),
                    Format.number(r.expectedShare),
                    Format.number(r.observedShare), Format.number(r.pValue),
                ]
            })
    }

    public static func parseHealth(_ table: CSVTable, file: String) throws -> [HealthRow] {
        guard table.header == HealthRow.columns else {
            throw CSVError(
                line: 1, reason: "unexpected header; expected \(HealthRow.columns.joined(separator: ","))", file: file)
        }
        return try table.rows.enumerated().map { i, f in
            func int(_ k: Int) throws -> Int {
                guard let v = Int(f[k]) else {
                    throw CSVError(
                        line: i + 2, reason: "\(HealthRow.columns[k]): expected an integer, found '\(f[k])'", file: file
                    )
                }
                return v
            }
            func num(_ k: Int) throws -> Double? {
                if f[k].isEmpty { return nil }
                guard let v = Double(f[k]) else {
                    throw CSVError(
                        line: i + 2, reason: "\(HealthRow.columns[k]): expected a number, found '\(f[k])'", file: file)
                }
                return v
            }
            return HealthRow(
                config: f[0], replicate: try int(1), day: try int(2), users: try int(3), explore: try int(4),
                expectedShare: try num(5) ?? 0, observedShare: try num(6), pValue: try num(7))
        }
    }

    /// summary.json: per configuration and persona, every metric's mean and 95% interval, and the comparisons.
    /// `warnings`: the feasibility warnings (``Feasibility``), listed under `warnings`.
    public static func summaryJSON(
        summaries: [SummaryEntry], comparisons: [ComparisonRow], configs: ConfigTable,
        warnings: [FeasibilityWarning] = []
    ) -> String {
        func interval(_ i: Interval?) -> JSONValue {
            i.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
        }
        var configObjects: [String: JSONValue] = [:]
        for c in configs.configs {
            var personas: [String: JSONValue] = [:]
            for s in summaries where s.config == c.name {
                var metrics: [String: JSONValue] = [:]
                for m in s.metrics {
                    metrics[m.metric] = .object([
                        "n": .integer(m.n), "mean": .number(m.mean), "ci95": interval(m.interval),
                        "method": .string(m.method.rawValue),
                    ])
                }
                let comps = comparisons.filter { $0.config == c.name && $0.persona == s.persona }.map {
                    r -> JSONValue in
                    .object([
                        "metric": .string(r.metric), "test": .string(r.test), "n": .integer(r.n),
                        "estimate": .number(r.estimate),
                        "ci95": interval(r.interval), "p_value": .number(r.pValue), "p_adjusted": .number(r.pAdjusted),
                        "baseline": .string(r.baseline),
                    ])
                }
                personas[s.persona] = .object(["metrics": .object(metrics), "comparisons": .array(comps)])
            }
            var settings: [String: JSONValue] = [:]
            for (k, v) in c.values { settings[k] = .string(v.description) }
            configObjects[c.name] = .object([
                "baseline": .bool(c.name == configs.baseline), "settings": .object(settings),
                "personas": .object(personas),
            ])
        }
        return JSONValue.object([
            "baseline": .string(configs.baseline), "configs": .object(configObjects),
            "warnings": WarningsSection.json(warnings),
        ]).text + "\n"
    }
}

/// The comparison section of report.md: the headline metrics, and a sentence when nothing differs.
struct ComparisonSection {
    var comparisons: [ComparisonRow]
    var configs: ConfigTable

    static let headline: Set<String> = [
        "cumulative_regret", "final_champion_correct", "activation_rate", "first_correct_day",
    ]

    var text: String {
        var out = "## Comparisons against the baseline `\(configs.baseline)`\n\n"
        out +=
            "Paired over replicates (common random numbers). Estimate = config − baseline; p adjusted by Holm across configurations. Full table: `comparison.csv`.\n\n"
        out +=
            "| config | persona | metric | test | n | estimate | 95% CI | p | p (Holm) |\n|---|---|---|---|---|---|---|---|---|\n"
        let shown = comparisons.filter {
            Self.headline.contains($0.metric) && $0.test != TestResult.Name.wilcoxonSignedRank
        }
        for r in shown {
            let ci = r.interval.map { "[\(Format.fixed($0.lower, 3)), \(Format.fixed($0.upper, 3))]" } ?? "–"
            let mark = r.pAdjusted < 0.05 ? " **" : ""
            out +=
                "| \(r.config) | \(r.persona) | \(r.metric) | \(r.test) | \(r.n) | \(Format.fixed(r.estimate, 3)) | \(ci) | \(Format.pValue(r.pValue)) | \(Format.pValue(r.pAdjusted))\(mark) |\n"
        }
        let significant = comparisons.filter { $0.pAdjusted < 0.05 }
        out += "\n"
        if significant.isEmpty {
            out +=
                "**No configuration differs significantly from the baseline** on any metric (all Holm-adjusted p ≥ 0.05, \(comparisons.count) comparisons).\n\n"
        } else {
            let pairs = Set(significant.map { "\($0.config) on \($0.metric) (\($0.persona))" }).sorted()
            out +=
                "Significant at 5% after Holm adjustment: \(pairs.prefix(12).joined(separator: "; "))\(pairs.count > 12 ? "; …" : "").\n\n"
        }
        return out
    }
}

/// The allocation-health section of report.md.
struct HealthSection {
    var rows: [HealthRow]

    var text: String {
        let summaries = HealthSummary.summarize(rows)
        guard summaries.contains(where: { $0.users > 0 }) else { return "" }
        var out = "## Allocation health\n\n"
        out +=
            "Observed explore share among users an ε draw decided, against the effective ε (chi-square sample-ratio test, pooled over days and replicates).\n\n"
        out +=
            "| config | eligible users | expected share | observed share | pooled p | days with p < 0.01 | status |\n|---|---|---|---|---|---|---|\n"
        for s in summaries where s.users > 0 {
            let observed = Double(s.explore) / Double(s.users)
            out +=
                "| \(s.config) | \(s.users) | \(Format.fixed(s.expectedShare, 3)) | \(Format.fixed(observed, 4)) | \(Format.pValue(s.pooledPValue)) | \(s.daysBelow001) of \(s.daysTested) | \(s.flagged ? "**FAILED: sample-ratio mismatch**" : "ok") |\n"
        }
        return out + "\n"
    }
}

extension Format {
    /// p-values for humans: 4 decimals, or "< 0.0001".
    public static func pValue(_ p: Double?) -> String {
        guard let p else { return "–" }
        return p < 0.0001 ? "< 0.0001" : fixed(p, 4)
    }
}
