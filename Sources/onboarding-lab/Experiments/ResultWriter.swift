import Experiments
import Foundation
import Reports
import Scenarios

/// Writes a results folder (SPEC §4) from experiment results. Used by run, sweep, tune and merge; `compare`
/// rewrites the analysis files through ``writeAnalysis(folder:scenario:configs:rows:daily:health:charts:command:warnings:confidence:)``.
enum ResultWriter {
    /// `manifest` nil leaves manifest.json to the caller (``ResultTarget/finish(manifest:)`` writes it last).
    /// summary.json and report.md list the plan's feasibility warnings: what `compare` and `merge` derive again
    /// from the folder (a check that a shortened run dropped is only named on stderr).
    static func write(
        _ results: ExperimentResults, to folder: OutputFolder, manifest: Manifest?, analysis: Bool = true,
        confidence: Double = TimeToConfidence.defaultTarget, figures: FigureChoice = .standard
    ) throws {
        let plan = results.plan
        try folder.write("scenario.yaml", plan.scenario.resolvedYAML())
        let configs = ConfigTable(plan: plan)
        try folder.write("configs.csv", ResultTables.configs(configs).text)
        let daily = results.dailyRows
        try folder.write("daily.csv", ResultTables.daily(daily).text)
        let rows = results.replicateRows
        try folder.write("replicates.csv", ResultTables.replicates(rows).text)
        try folder.write("activation_regret.csv", ResultTables.activationRegret(rows).text)
        let inference = MisclassificationRow.rows(rows)
        if !inference.isEmpty { try folder.write("inference.csv", ResultTables.inference(inference).text) }
        if plan.recordsFlows { try folder.write("flows.csv", ResultTables.flows(results.flowRows).text) }
        let health = HealthRow.rows(results)
        try folder.write("health.csv", ResultTables.health(health).text)
        let charts =
            analysis
            ? try writeCharts(daily: daily, configs: configs, folder: folder, confidence: confidence, figures: figures)
            : []
        if analysis {
            try writeAnalysis(
                folder: folder, scenario: plan.scenario, configs: configs, rows: rows, daily: daily, health: health,
                charts: charts, command: manifest?.command ?? CommandLine.arguments,
                warnings: Feasibility.warnings(for: plan),
                confidence: confidence, inference: inference)
        }
        if let manifest { try folder.write("manifest.json", manifest.json) }
    }

    /// comparison.csv, summary.json and report.md from the folder's tables; `command` is the command line that
    /// produced the results (its `--set` options are listed in report.md). report.md's methods name inference.csv
    /// and flows.csv when the folder has them (both are written before the analysis).
    static func writeAnalysis(
        folder: OutputFolder, scenario: Scenario, configs: ConfigTable, rows: [ReplicateRow], daily: [DailyRow],
        health: [HealthRow], charts: [(file: String, title: String)], command: [String],
        warnings: [FeasibilityWarning], confidence: Double, inference: [MisclassificationRow] = []
    ) throws {
        let analysis = try Analysis(
            scenario: scenario, configs: configs, rows: rows, daily: daily, confidenceTarget: confidence)
        try folder.write("comparison.csv", ResultTables.comparison(analysis.comparisons).text)
        try folder.write(
            "summary.json", ResultTables.summaryJSON(analysis: analysis, configs: configs, warnings: warnings))
        var report = MarkdownReport(
            scenario: scenario, configs: configs, rows: rows, analysis: analysis, health: health, charts: charts,
            overrides: setOptions(in: command), warnings: warnings, inference: inference)
        report.flows = FileManager.default.fileExists(atPath: folder.file("flows.csv"))
        try folder.write("report.md", report.text)
    }

    /// The command line recorded in a manifest.json (empty when there is none).
    static func command(manifest: String?) -> [String] {
        let object = manifest.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
        return object?["command"] as? [String] ?? []
    }

    /// The `--set path=value` options of a command line, in order.
    static func setOptions(in command: [String]) -> [(path: String, value: String)] {
        var result: [(path: String, value: String)] = []
        var i = 0
        while i < command.count {
            var text: String?
            if command[i] == "--set", i + 1 < command.count {
                text = command[i + 1]
                i += 1
            } else if command[i].hasPrefix("--set=") {
                text = String(command[i].dropFirst(6))
            }
            if let text, let eq = text.firstIndex(of: "=") {
                result.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
            }
            i += 1
        }
        return result
    }

    /// The SVG charts of report.md, written under charts/ in `figures.style`, each with the PNG and PDF copies
    /// `figures.formats` asks for (same name, other extension).
    static func writeCharts(
        daily: [DailyRow], configs: ConfigTable, folder: OutputFolder, confidence: Double,
        figures: FigureChoice = .standard
    ) throws -> [(file: String, title: String)] {
        let charts = ReportCharts.render(daily: daily, configs: configs, confidence: confidence, style: figures.style)
        guard !charts.isEmpty else { return [] }
        let chartFolder = try OutputFolder(path: folder.file("charts"))
        for chart in charts {
            try chartFolder.write(chart.file, chart.svg)
            let stem = String(chart.file.dropLast(".svg".count))
            for format in figures.formats where format != .svg {
                try FigureConverter.convert(
                    chartFolder.file(chart.file), to: chartFolder.file(stem + "." + format.rawValue), format: format)
            }
        }
        return charts.map { ("charts/" + $0.file, $0.title) }
    }

    /// The feasibility warnings of a results folder's resolved scenario, at the manifest's traffic scale
    /// (`compare`, `merge`).
    static func warnings(scenario: Scenario, manifest: String?) -> [FeasibilityWarning] {
        let object = manifest.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
        return Feasibility.warnings(for: scenario, scale: object?["scale"] as? Double ?? 1)
    }

    /// manifest.json of a run, sweep, check or tune that started at `started` and ends now.
    static func manifest(
        _ results: ExperimentResults, store: StoreKind, threads: Int, shard: Shard? = nil, started: Date
    ) -> Manifest {
        let plan = results.plan
        var manifest = Manifest(
            labVersion: LabVersion.current, command: CommandLine.arguments, scenario: plan.scenario.name,
            seed: plan.scenario.seed, replicates: plan.replicates, configurations: plan.configurations.count,
            horizonDays: plan.horizonDays, scale: plan.scale, store: store.rawValue, threads: threads,
            shard: shard?.description, startedAt: timestamp(started), finishedAt: timestamp(), users: results.users)
        manifest.provenance = ProvenanceProbe.current
        return manifest
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// `results/<name>/<UTC time>-s<seed>`.
    static func defaultFolder(scenario: Scenario, seed: UInt64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "results/\(scenario.name)/\(f.string(from: Date()))-s\(seed)"
    }
}
