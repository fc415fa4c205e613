import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the folders of a sharded sweep (sweep --shard k/n) into the result of the unsharded sweep.",
        discussion: """
            Checks that the shards come from the same scenario and configurations and that together they cover \
            every shard 1…n exactly once; that each shard's data files match its manifest's SHA-256 checksums, \
            holds every (config, replicate, persona) it owns exactly once and no other, and that its daily.csv \
            agrees with its replicates.csv (exit 2 naming file:line); OUT may not be one of the shards. Then writes OUT with the same files, byte for byte, as the unsharded \
            sweep (only manifest.json's times differ), including comparisons, summary, report and charts.
            """)

    @Argument(help: "The merged results folder to write.")
    var out: String

    @Argument(help: "The shard folders.")
    var shards: [String]

    @OptionGroup var confidenceTarget: ConfidenceOption

    @OptionGroup var figureOptions: FigureOptions

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
    }

    func run() throws {
        try CommandFailure.reporting {
            let outURL = URL(fileURLWithPath: out).standardizedFileURL.resolvingSymlinksInPath()
            for shard in shards
            where URL(fileURLWithPath: shard).standardizedFileURL.resolvingSymlinksInPath() == outURL {
                throw MergeError("\(out): the output folder is one of the input shards; choose another folder")
            }
            let folders = try shards.map(ResultFolder.init(path:))
            for f in folders { try ResultVerification.checksums(f) }
            let scenarioText = try folders[0].folder.read("scenario.yaml")
            let configsText = try folders[0].folder.read("configs.csv")
            var seen: [Int: String] = [:]
            var count: Int?
            for f in folders {
                guard try f.folder.read("scenario.yaml") == scenarioText else {
                    throw MergeError(
                        "\(f.folder.path): scenario.yaml differs from \(folders[0].folder.path)'s: not shards of one sweep"
                    )
                }
                guard try f.folder.read("configs.csv") == configsText else {
                    throw MergeError("\(f.folder.path): configs.csv differs from \(folders[0].folder.path)'s")
                }
                let manifest = try f.folder.read("manifest.json")
                guard let shard = Self.shard(in: manifest) else {
                    throw MergeError("\(f.folder.path): manifest.json names no shard (was it run with --shard k/n?)")
                }
                if let count, count != shard.count {
                    throw MergeError(
                        "\(f.folder.path): shard \(shard) of a \(shard.count)-way split, others are \(count)-way")
                }
                count = shard.count
                if let other = seen[shard.index] {
                    throw MergeError("shard \(shard) appears twice: \(other) and \(f.folder.path)")
                }
                seen[shard.index] = f.folder.path
            }
            if let count {
                let missing = (1...count).filter { seen[$0] == nil }
                guard missing.isEmpty else {
                    throw MergeError(
                        "missing shard(s) \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) of \(count)")
                }
            }
            let configs = try folders[0].configs()
            let order = Dictionary(uniqueKeysWithValues: configs.configs.enumerated().map { ($1.name, $0) })
            /// Rows in output order: configuration (configs.csv order), then replicate; a stable sort keeps each
            /// replicate's own (day, persona) order.
            func ordered<Row>(_ rows: [Row], _ config: KeyPath<Row, String>, _ replicate: KeyPath<Row, Int>) -> [Row] {
                rows.enumerated().sorted { a, b in
                    (order[a.element[keyPath: config]] ?? Int.max, a.element[keyPath: replicate], a.offset)
                        < (order[b.element[keyPath: config]] ?? Int.max, b.element[keyPath: replicate], b.offset)
                }.map(\.element)
            }
            let scenarioForRows = try folders[0].scenario()
            for f in folders {
                try ResultVerification.rows(
                    f, scenario: scenarioForRows, configs: configs, replicates: try f.replicates(),
                    daily: try f.daily(),
                    shard: ResultVerification.shard(of: f))
            }
            let daily = ordered(try folders.flatMap { try $0.daily() }, \.config, \.replicate)
            let replicates = ordered(try folders.flatMap { try $0.replicates() }, \.config, \.replicate)
            let health = ordered(try folders.flatMap { try $0.health() }, \.config, \.replicate)
            let target = try OutputFolder(path: out)
            let scenario = try folders[0].scenario()
            try target.write("scenario.yaml", scenarioText)
            try target.write("configs.csv", configsText)
            try target.write("daily.csv", ResultTables.daily(daily).text)
            try target.write("replicates.csv", ResultTables.replicates(replicates).text)
            try target.write("health.csv", ResultTables.health(health).text)
            let regret = try folders.map { try $0.table("activation_regret.csv") }
            guard regret.allSatisfy({ $0.header == ResultTables.activationRegretColumns }) else {
                throw MergeError("activation_regret.csv: unexpected header in a shard")
            }
            let regretRows = ordered(regret.flatMap(\.rows).map(TableRow.init), \.config, \.replicate).map(\.fields)
            try target.write(
                "activation_regret.csv",
                CSVTable(header: ResultTables.activationRegretColumns, rows: regretRows).text)
            let inference = ordered(try folders.flatMap { try $0.inference() }, \.config, \.replicate)
            if !inference.isEmpty { try target.write("inference.csv", ResultTables.inference(inference).text) }
            if FileManager.default.fileExists(atPath: folders[0].folder.file("flows.csv")) {
                let flows = try folders.map { try $0.table("flows.csv") }
                guard flows.allSatisfy({ $0.header == FlowRow.columns }) else {
                    throw MergeError("flows.csv: unexpected header or missing in a shard")
                }
                let flowRows = ordered(flows.flatMap(\.rows).map(TableRow.init), \.config, \.replicate).map(\.fields)
                try target.write("flows.csv", CSVTable(header: FlowRow.columns, rows: flowRows).text)
            }
            let charts = try ResultWriter.writeCharts(
                daily: daily, configs: configs, folder: target, confidence: confidenceTarget.confidence,
                figures: figureOptions.choice)
            let first =
                (try? JSONSerialization.jsonObject(with: Data(try folders[0].folder.read("manifest.json").utf8)))
                as? [String: Any] ?? [:]
            let firstManifest = try? folders[0].folder.read("manifest.json")
            try ResultWriter.writeAnalysis(
                folder: target, scenario: scenario, configs: configs, rows: replicates, daily: daily, health: health,
                charts: charts, command: ResultWriter.command(manifest: firstManifest),
                warnings: ResultWriter.warnings(scenario: scenario, manifest: firstManifest),
                confidence: confidenceTarget.confidence, inference: inference)
            var manifest = Manifest(
                labVersion: LabVersion.current, command: CommandLine.arguments, scenario: scenario.name,
                seed: scenario.seed,
                replicates: scenario.replicates, configurations: configs.configs.count,
                horizonDays: scenario.horizonDays,
                scale: first["scale"] as? Double ?? 1, store: first["store"] as? String ?? "memory",
                threads: first["threads"] as? Int ?? 1,
                shard: nil, startedAt: ResultWriter.timestamp(), finishedAt: ResultWriter.timestamp(),
                users: replicates.filter { $0.persona == "ALL" }.reduce(0) { $0 + $1.users })
            manifest.provenance = ProvenanceProbe.current
            manifest.files = try ResultTarget.checksums(of: target.path)
            try target.write("manifest.json", manifest.json)
            print(out)
        }
    }

    /// The `"shard": "k/n"` of a manifest.
    static func shard(in manifest: String) -> Shard? {
        guard let range = manifest.range(of: "\"shard\":\"") else { return nil }
        let rest = manifest[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return try? Shard(parsing: String(rest[..<end]))
    }
}

/// A raw CSV row keyed by its first two fields (config, replicate), for merging files row by row.
struct TableRow {
    var fields: [String]
    var config: String { fields.first ?? "" }
    var replicate: Int { fields.count > 1 ? Int(fields[1]) ?? 0 : 0 }
}

struct MergeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
