import Experiments
import Foundation
import Reports
import Scenarios

/// What `merge` and `compare` check before they trust a results folder (issue 10, item 3): the manifest's
/// checksums, every (config, replicate, persona) exactly once, exactly the replicates the folder (or its shard)
/// owns, and daily.csv agreeing with replicates.csv. A violation is a `MergeError` (exit 2) naming file:line.
enum ResultVerification {
    /// The data files whose SHA-256 is compared with manifest.json's `files` (the analysis files are rewritten by
    /// `compare`, so they are not inputs).
    static let dataFiles = [
        "scenario.yaml", "configs.csv", "daily.csv", "replicates.csv", "activation_regret.csv", "health.csv",
        "inference.csv", "flows.csv",
    ]

    /// The manifest's `files` entries of the data files must match the files (a folder without `files`, from an
    /// older lab, is not checked).
    static func checksums(_ dir: ResultFolder) throws {
        guard let text = try? dir.folder.read("manifest.json"),
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let files = object["files"] as? [String: String]
        else { return }
        for name in dataFiles {
            guard let expected = files[name] else { continue }
            let path = dir.folder.file(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MergeError("\(path): missing, but manifest.json lists it")
            }
            guard SHA256.hex(data) == expected else {
                throw MergeError(
                    "\(path): its SHA-256 differs from manifest.json's: the file was changed after it was written")
            }
        }
    }

    /// The (config, replicate) pairs a folder must hold: all of them, or those its shard k/n owns.
    static func ownedItems(configs: Int, replicates: Int, shard: Shard?) -> Set<WorkItem> {
        var items: Set<WorkItem> = []
        for position in 0..<(configs * replicates) where shard?.contains(position: position) ?? true {
            items.insert(WorkItem(config: position / replicates, replicate: position % replicates))
        }
        return items
    }

    /// Checks the rows of one folder (`daily` may be empty when the folder has no daily.csv).
    static func rows(
        _ dir: ResultFolder, scenario: Scenario, configs: ConfigTable, replicates: [ReplicateRow], daily: [DailyRow],
        shard: Shard?
    ) throws {
        let replicatesFile = dir.folder.file("replicates.csv")
        let dailyFile = dir.folder.file("daily.csv")
        let index = Dictionary(configs.configs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let personas = Set(scenario.personas.map(\.id) + ["ALL"])
        let owned = ownedItems(configs: configs.configs.count, replicates: scenario.replicates, shard: shard)
        var firstLine: [String: Int] = [:]
        var personasSeen: [WorkItem: Set<String>] = [:]
        var users: [String: (users: Int, line: Int)] = [:]
        for (offset, row) in replicates.enumerated() {
            let line = offset + 2
            let persona = row.summary.persona
            guard let config = index[row.config] else {
                throw MergeError("\(replicatesFile):\(line): config '\(row.config)' is not in configs.csv")
            }
            let item = WorkItem(config: config, replicate: row.replicate)
            guard owned.contains(item) else {
                let whose = shard.map { "shard \($0)" } ?? "this folder"
                throw MergeError(
                    "\(replicatesFile):\(line): replicate \(row.replicate) of \(row.config) does not belong to \(whose)"
                )
            }
            guard personas.contains(persona) else {
                throw MergeError("\(replicatesFile):\(line): persona '\(persona)' is not in scenario.yaml")
            }
            let key = "\(row.config)/\(row.replicate)/\(persona)"
            if let first = firstLine[key] {
                throw MergeError(
                    "\(replicatesFile):\(line): config \(row.config), replicate \(row.replicate), persona \(persona) "
                        + "appears twice (first at line \(first))")
            }
            firstLine[key] = line
            personasSeen[item, default: []].insert(persona)
            users[key] = (row.summary.users, line)
        }
        for item in owned.sorted() {
            let seen = personasSeen[item] ?? []
            guard seen == personas else {
                let missing = personas.subtracting(seen).sorted().joined(separator: ", ")
                throw MergeError(
                    "\(replicatesFile): config \(configs.configs[item.config].name), replicate \(item.replicate): "
                        + "missing row(s) for \(missing)")
            }
        }
        guard !daily.isEmpty else { return }
        var signups: [String: Int] = [:]
        var dailyFirst: [String: Int] = [:]
        for (offset, row) in daily.enumerated() {
            let line = offset + 2
            guard index[row.config] != nil else {
                throw MergeError("\(dailyFile):\(line): config '\(row.config)' is not in configs.csv")
            }
            let key = "\(row.config)/\(row.replicate)/\(row.record.persona)"
            guard users[key] != nil else {
                throw MergeError(
                    "\(dailyFile):\(line): config \(row.config), replicate \(row.replicate), persona "
                        + "\(row.record.persona) has no row in replicates.csv")
            }
            let dayKey = key + "/\(row.record.day)"
            if let first = dailyFirst[dayKey] {
                throw MergeError(
                    "\(dailyFile):\(line): day \(row.record.day) of \(key) appears twice (first at line \(first))")
            }
            dailyFirst[dayKey] = line
            signups[key, default: 0] += row.record.signups
        }
        for (key, entry) in users.sorted(by: { $0.value.line < $1.value.line }) where !key.hasSuffix("/ALL") {
            let total = signups[key] ?? 0
            guard total == entry.users else {
                throw MergeError(
                    "\(replicatesFile):\(entry.line): \(key) has \(entry.users) users, but daily.csv counts \(total) "
                        + "signups: daily.csv and replicates.csv disagree")
            }
        }
    }

    /// The shard of a folder's manifest, if any.
    static func shard(of dir: ResultFolder) -> Shard? {
        (try? dir.folder.read("manifest.json")).flatMap(MergeCommand.shard(in:))
    }
}
