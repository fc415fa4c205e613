import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Recompute comparison.csv, summary.json and report.md of a results folder from its replicates.csv and configs.csv.",
        discussion: """
            Reads replicates.csv, configs.csv and scenario.yaml (and health.csv when present, for the allocation \
            health section), and rewrites the three analysis files exactly as sweep writes them. It first checks \
            the data files against manifest.json's SHA-256 checksums, that every (config, replicate, persona) \
            appears exactly once and every replicate the folder owns is there, and that daily.csv agrees with \
            replicates.csv (exit 2 naming file:line). Edit configs.csv to choose another baseline, or concatenate \
            replicates.csv files by hand, then run compare --allow-edited. With --figures png,pdf or \
            --figure-style plain the charts are drawn again from daily.csv in those formats and that style \
            (for a paper, from a folder a sweep wrote); otherwise the existing charts are kept.
            """)

    @Argument(help: "A results folder.")
    var folder: String

    @OptionGroup var confidenceTarget: ConfidenceOption
    @OptionGroup var figureOptions: FigureOptions

    @Flag(
        help:
            "Accept data files changed after they were written (hand-edited configs.csv or replicates.csv): skip the manifest's checksums. Rows are still checked."
    )
    var allowEdited = false

    func run() throws {
        try CommandFailure.reporting {
            let dir = try ResultFolder(path: folder)
            if !allowEdited { try ResultVerification.checksums(dir) }
            let daily = FileManager.default.fileExists(atPath: dir.folder.file("daily.csv")) ? try dir.daily() : []
            let manifestText = try? dir.folder.read("manifest.json")
            let figures = figureOptions.choice
            let charts =
                figures.formats == [.svg] && figures.style == .standard
                ? dir.existingCharts()
                : try ResultWriter.writeCharts(
                    daily: daily, configs: try dir.configs(), folder: dir.folder,
                    confidence: confidenceTarget.confidence, figures: figures)
            let scenario = try dir.scenario()
            try ResultVerification.rows(
                dir, scenario: scenario, configs: try dir.configs(), replicates: try dir.replicates(), daily: daily,
                shard: ResultVerification.shard(of: dir))
            try ResultWriter.writeAnalysis(
                folder: dir.folder, scenario: scenario, configs: try dir.configs(), rows: try dir.replicates(),
                daily: daily, health: try dir.health(), charts: charts,
                command: ResultWriter.command(manifest: manifestText),
                warnings: ResultWriter.warnings(scenario: scenario, manifest: manifestText),
                confidence: confidenceTarget.confidence, inference: try dir.inference())
            print(folder)
        }
    }
}

/// Reading the files of a results folder back, with errors that name the file and line.
struct ResultFolder {
    let folder: OutputFolder

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MergeError("\(path): no such results folder")
        }
        folder = try OutputFolder(path: path)
    }

    func table(_ name: String) throws -> CSVTable {
        do {
            return try CSVTable(parsing: try folder.read(name))
        } catch var error as CSVError {
            error.file = folder.file(name)
            throw error
        }
    }

    func scenario() throws -> Scenario { try ScenarioLoader.load(path: folder.file("scenario.yaml")) }
    func configs() throws -> ConfigTable {
        try ResultTables.parseConfigs(try table("configs.csv"), file: folder.file("configs.csv"))
    }
    func replicates() throws -> [ReplicateRow] {
        try ResultTables.parseReplicates(try table("replicates.csv"), file: folder.file("replicates.csv"))
    }
    func daily() throws -> [DailyRow] {
        try ResultTables.parseDaily(try table("daily.csv"), file: folder.file("daily.csv"))
    }

    /// inference.csv's rows; none when the folder has no such file (no persona inference).
    func inference() throws -> [MisclassificationRow] {
        guard FileManager.default.fileExists(atPath: folder.file("inference.csv")) else { return [] }
        return try ResultTables.parseInference(try table("inference.csv"), file: folder.file("inference.csv"))
    }

    func health() throws -> [HealthRow] {
        guard FileManager.default.fileExists(atPath: folder.file("health.csv")) else { return [] }
        return try ResultTables.parseHealth(try table("health.csv"), file: folder.file("health.csv"))
    }

    /// The charts report.md links to: those of ReportCharts' naming that exist under charts/, in file-name order.
    func existingCharts() -> [(file: String, title: String)] {
        guard let daily = try? daily(), let configs = try? configs() else { return [] }
        return ReportCharts.render(daily: daily, configs: configs)
            .filter { FileManager.default.fileExists(atPath: folder.file("charts/" + $0.file)) }
            .map { ("charts/" + $0.file, $0.title) }
    }
}
