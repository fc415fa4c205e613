import Experiments
import OnboardingEngine
import Scenarios
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

    /// summary.json: per configuration and persona, every metric's mean, 95% interval and method, time to
    /// confidence and the comparisons; per configuration its swept settings as typed values; at the top the
    /// recommendation and the feasibility warnings (``Feasibility``).
    public static func summaryJSON(analysis: Analysis, configs: ConfigTable, warnings: [FeasibilityWarning] = [])
        -> String
    {
        func interval(_ i: Interval?) -> JSONValue {
            i.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
        }
        func typed(_ value: SettingValue) -> JSONValue {
            switch value {
            case .integer(let v): return .integer(v)
            case .number(let v): return .number(v)
            case .bool(let v): return .bool(v)
            case .string(let v): return .string(v)
            }
        }
        var configObjects: [String: JSONValue] = [:]
        for c in configs.configs {
            var personas: [String: JSONValue] = [:]
            for s in analysis.summaries where s.config == c.name {
                var metrics: [String: JSONValue] = [:]
                for m in s.metrics {
                    var object: [String: JSONValue] = [
                        "n": .integer(m.n), "mean": .number(m.mean), "ci95": interval(m.interval),
                        "method": .string(m.method.rawValue),
                    ]
                    if let converged = m.converged { object["converged"] = .integer(converged) }
                    metrics[m.metric.rawValue] = .object(object)
                }
                let comps = analysis.comparisons.filter { $0.config == c.name && $0.persona == s.persona }.map {
                    r -> JSONValue in
                    .object([
                        "metric": .string(r.metric), "test": .string(r.test), "n": .integer(r.n),
                        "estimate": .number(r.estimate),
                        "ci95": interval(r.interval), "p_value": .number(r.pValue), "p_adjusted": .number(r.pAdjusted),
                        "baseline": .string(r.baseline),
                    ])
                }
                var persona: [String: JSONValue] = ["metrics": .object(metrics), "comparisons": .array(comps)]
                if let d = analysis.confidence.first(where: { $0.config == c.name && $0.persona == s.persona }) {
                    persona["days_to_confidence"] = .object([
                        "target": .number(d.target), "day": d.day.map { .integer($0) } ?? .null,
                        "evaluated_day": .integer(d.evaluatedDay), "replicates": .integer(d.replicates),
                        "share_correct": .number(d.estimate), "ci95": interval(d.interval), "method": .string("wilson"),
                    ])
                }
                personas[s.persona] = .object(persona)
            }
            var settings: [String: JSONValue] = [:]
            for (k, v) in c.values { settings[k] = typed(v) }
            configObjects[c.name] = .object([
                "baseline": .bool(c.name == configs.baseline), "settings": .object(settings),
                "personas": .object(personas),
            ])
        }
        let r = analysis.recommendation
        let recommendation: JSONValue = .object([
            "metric": .string(r.primary.rawValue), "persona": .string("ALL"), "alpha": .number(r.alpha),
            "recommended": .string(r.recommended), "beats_baseline": .bool(r.beatsBaseline),
        ])
        return JSONValue.object([
            "baseline": .string(configs.baseline), "configs": .object(configObjects),
            "confidence_target": .number(analysis.confidenceTarget), "recommendation": recommendation,
            "warnings": WarningsSection.json(warnings),
        ]).text + "\n"
    }
}

/// The comparison section of report.md: every paired comparison of the headline metrics (the Wilcoxon rows with
/// their Hodges–Lehmann intervals are in comparison.csv). The recommendation lists the significant ones by size.
struct ComparisonSection {
    var comparisons: [ComparisonRow]
    var configs: ConfigTable

    static let headline: [Metric] = [.cumulativeRegret, .finalChampionCorrect, .activationRate, .firstCorrectDay]

    var text: String {
        var out = "## Comparisons against the baseline `\(configs.baseline)`\n\n"
        out +=
            "Paired over replicates (common random numbers). Estimate = config − baseline; p adjusted by Holm across configurations; ** marks p (Holm) < 0.05. Every metric and the Wilcoxon rows: `comparison.csv`.\n\n"
        out +=
            "| config | persona | metric | test | n | estimate | 95% CI | p | p (Holm) |\n|---|---|---|---|---|---|---|---|---|\n"
        let shown = comparisons.filter {
            guard let metric = Metric(rawValue: $0.metric) else { return false }
            return Self.headline.contains(metric) && $0.test != TestResult.Name.wilcoxonSignedRank
        }
        for r in shown {
            let ci = r.interval.map { "[\(Format.fixed($0.lower, 3)), \(Format.fixed($0.upper, 3))]" } ?? "–"
            let mark = r.pAdjusted < 0.05 ? " **" : ""
            out +=
                "| \(r.config) | \(r.persona) | \(r.metric) | \(r.test) | \(r.n) | \(Format.fixed(r.estimate, 3)) | \(ci) | \(Format.pValue(r.pValue)) | \(Format.pValue(r.pAdjusted))\(mark) |\n"
        }
        return out + "\n"
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
            "Observed explore share among users an ε draw decided, against the effective ε (chi-square sample-ratio test, pooled over days and replicates). A configuration is flagged when the pooled p < 0.001; under a healthy allocation about 1% of days have p < 0.01.\n\n"
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
