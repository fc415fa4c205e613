import Experiments
import Foundation
import Reports
import Stochastics

/// What the results index shows of one results folder (SPEC §4): read from its manifest.json, summary.json,
/// configs.csv, scenario.yaml and daily.csv. A file that is missing or unreadable leaves its part empty and
/// adds a note; the folder is never written.
struct ResultFolder: Sendable {
    /// The path under the results directory, `/`-separated.
    var relativePath: String
    var scenario: String?
    var startedAt: String?
    var configurations: Int?
    var replicates: Int?
    var command: String?
    /// Per configuration (summary.json order: the baseline first, then by name), its headline metrics.
    var headlines: [Headline] = []
    var checks: [CheckVerdict] = []
    var notes: [String] = []
    var hasReport: Bool

    struct Headline: Sendable {
        var config: String
        var baseline: Bool
        var settings: String
        /// metric → (mean, 95% interval) for persona ALL.
        var metrics: [(metric: String, mean: Double?, interval: (Double, Double)?)]
    }

    struct CheckVerdict: Sendable {
        var persona: String
        var day: Int
        var required: Double
        var correct: Int
        var replicates: Int
        /// The Wilson 95% interval of P(champion = true best on the day); nil when the day was not simulated.
        var interval: Interval?

        /// PASS when the interval's lower bound reaches the required probability, FAIL when its upper bound stays
        /// below it, UNDECIDED otherwise (too few replicates to tell either way); nil without the day.
        var verdict: String? {
            guard let interval else { return nil }
            if interval.lower >= required { return "PASS" }
            return interval.upper < required ? "FAIL" : "UNDECIDED"
        }
    }

    /// The metrics of persona `ALL` shown in the index, in this order.
    static let headlineMetrics = ["cumulative_regret", "regret_per_user", "activation_rate", "retention_rate"]

    /// A JSON number as a Double (JSONSerialization gives Int, Double or NSNumber depending on the platform).
    static func double(_ value: Any?) -> Double? {
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return (value as? NSNumber)?.doubleValue
    }

    static func json(_ url: URL) -> [String: Any]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    init(url: URL, relativePath: String) {
        self.relativePath = relativePath
        hasReport = FileManager.default.fileExists(atPath: url.appendingPathComponent("report.md").path)
        if let manifest = Self.json(url.appendingPathComponent("manifest.json")) {
            scenario = manifest["scenario"] as? String
            startedAt = manifest["started_at"] as? String
            configurations = Self.double(manifest["configurations"]).map { Int($0) }
            replicates = Self.double(manifest["replicates"]).map { Int($0) }
            command = (manifest["command"] as? [String]).map { $0.dropFirst().joined(separator: " ") }
        } else {
            notes.append("no readable manifest.json")
        }
        if let summary = Self.json(url.appendingPathComponent("summary.json")) {
            readHeadlines(summary)
        } else {
            notes.append("no readable summary.json")
        }
        readChecks(url)
    }

    mutating func readHeadlines(_ summary: [String: Any]) {
        guard let configs = summary["configs"] as? [String: Any] else {
            notes.append("summary.json has no configs")
            return
        }
        var list: [Headline] = []
        for (name, value) in configs {
            guard let config = value as? [String: Any] else { continue }
            let settings = (config["settings"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            let all = ((config["personas"] as? [String: Any])?["ALL"] as? [String: Any])?["metrics"] as? [String: Any]
            let metrics = Self.headlineMetrics.map {
                metric -> (metric: String, mean: Double?, interval: (Double, Double)?) in
                let object = all?[metric] as? [String: Any]
                let ci = (object?["ci95"] as? [Any])?.compactMap { Self.double($0) }
                return (metric, Self.double(object?["mean"]), ci.flatMap { $0.count == 2 ? ($0[0], $0[1]) : nil })
            }
            list.append(
                Headline(
                    config: name, baseline: config["baseline"] as? Bool ?? false, settings: settings, metrics: metrics))
        }
        headlines = list.sorted { ($0.baseline ? 0 : 1, $0.config) < ($1.baseline ? 0 : 1, $1.config) }
    }

    /// The scenario's checks evaluated on the baseline configuration's replicates by SPEC §3's fixed-sample rule:
    /// P(champion = true best on day D) passes when its Wilson 95% lower bound is at least the required
    /// probability; it fails when the upper bound is below it, and is undecided in between (a run of a few
    /// replicates cannot pass a 0.95 requirement). `check` itself decides sequentially; a folder written by
    /// `check --out` holds the replicates that decided it.
    mutating func readChecks(_ url: URL) {
        let scenarioPath = url.appendingPathComponent("scenario.yaml").path
        guard FileManager.default.fileExists(atPath: scenarioPath) else { return }
        guard let scenario = try? ScenarioValidation.load(path: scenarioPath) else {
            notes.append("scenario.yaml does not load")
            return
        }
        guard !scenario.checks.isEmpty else { return }
        guard let dailyText = try? String(contentsOf: url.appendingPathComponent("daily.csv"), encoding: .utf8),
            let daily = try? CSVTable(parsing: dailyText),
            let configText = try? String(contentsOf: url.appendingPathComponent("configs.csv"), encoding: .utf8),
            let configs = try? ResultTables.parseConfigs(CSVTable(parsing: configText), file: "configs.csv"),
            let c = try? daily.column("config"), let p = try? daily.column("persona"), let d = try? daily.column("day"),
            let k = try? daily.column("champion_correct")
        else {
            notes.append("checks not evaluated: daily.csv or configs.csv unreadable")
            return
        }
        for check in scenario.checks {
            let day = String(check.championIsTrueBestByDay)
            let rows = daily.rows.filter { $0[c] == configs.baseline && $0[p] == check.persona && $0[d] == day }
            let correct = rows.filter { $0[k] == "1" }.count
            let interval = rows.isEmpty ? nil : try? Intervals.wilson(successes: correct, trials: rows.count)
            checks.append(
                CheckVerdict(
                    persona: check.persona, day: check.championIsTrueBestByDay, required: check.minProbability,
                    correct: correct, replicates: rows.count, interval: interval))
        }
    }
}
