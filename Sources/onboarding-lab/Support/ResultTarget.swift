import ArgumentParser
import Experiments
import Foundation
import Reports
import Simulation

/// `--force` and `--resume` of the commands that write a results folder (`run`, `sweep`).
struct ResultFolderOptions: ParsableArguments {
    @Flag(help: "Replace an existing results folder at --out (it is removed first, then the new one is written).")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Finish an interrupted run: the <out>.partial folder it left. Only the missing replicates run; the same scenario and options are required.",
            valueName: "out.partial"))
    var resume: String?
}

/// A results folder written atomically and resumably.
///
/// Everything is written into `<out>.partial/`; each finished (configuration, replicate) is checkpointed in
/// `<out>.partial/checkpoints/` as it completes; at the end the checkpoints are removed, manifest.json is written
/// last (with `complete: true` and the SHA-256 of every other file), and the folder is renamed to `<out>`. A
/// killed run leaves only `<out>.partial/`, never a folder that looks complete; `--resume <out>.partial` runs only
/// the replicates without a checkpoint. An existing `<out>` is refused unless `--force`, which removes it first, so
/// no stale file survives into a new result.
struct ResultTarget {
    static let suffix = ".partial"
    static let checkpoints = "checkpoints"
    static let planFile = "plan.json"

    let finalPath: String
    let folder: OutputFolder
    /// The replicates read back from checkpoints (empty for a fresh run).
    let completed: [ReplicateOutcome]
    /// The command line recorded in the manifest: the original one when resuming.
    let command: [String]

    var checkpointPath: String { folder.file(Self.checkpoints) }

    /// Prepares `<out>.partial/`. `identity` is everything that determines the results (resolved scenario, scale,
    /// store, shard…): a resumed folder must have been started with the same.
    init(out: String?, defaultOut: String, options: ResultFolderOptions, identity: String) throws {
        try self.init(
            out: out, defaultOut: defaultOut, force: options.force, resume: options.resume, identity: identity)
    }

    /// `tune` (no checkpoints, so no `--resume`) passes `force` alone.
    init(out: String?, defaultOut: String, force: Bool, resume: String?, identity: String) throws {
        let manager = FileManager.default
        if let resume {
            let partial = resume.hasSuffix("/") ? String(resume.dropLast()) : resume
            guard partial.hasSuffix(Self.suffix) else {
                throw ValidationError(
                    "--resume expects the <out>.partial folder an interrupted run left, found '\(resume)'")
            }
            let final = String(partial.dropLast(Self.suffix.count))
            if let out, out != final {
                throw ValidationError("--resume \(resume) finishes \(final), not --out \(out)")
            }
            finalPath = final
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: partial, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ResultFolderError("\(partial): no such folder to resume")
            }
            try Self.refuseExisting(final, force: force)
            folder = try OutputFolder(path: partial)
            let plan = folder.file(Self.checkpoints + "/" + Self.planFile)
            guard let data = manager.contents(atPath: plan),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let recorded = object["identity"] as? String, let command = object["command"] as? [String]
            else {
                throw ResultFolderError("\(plan): missing or unreadable; this folder cannot be resumed (start again)")
            }
            guard recorded == identity else {
                throw ResultFolderError(
                    "\(partial) was started with another scenario or other options (seed, replicates, horizon, scale, "
                        + "store, --set, shard); resume it with the same command, or start again")
            }
            self.command = command
            completed = Self.readCheckpoints(folder.file(Self.checkpoints))
        } else {
            let final = out ?? defaultOut
            finalPath = final
            try Self.refuseExisting(final, force: force)
            let partial = final + Self.suffix
            if manager.fileExists(atPath: partial) {
                do { try manager.removeItem(atPath: partial) } catch {
                    throw OutputError(path: partial, reason: "cannot remove the stale partial folder: \(error)")
                }
            }
            folder = try OutputFolder(path: partial)
            let checkpoints = try OutputFolder(path: folder.file(Self.checkpoints))
            command = CommandLine.arguments
            let object: [String: Any] = ["identity": identity, "command": command]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try checkpoints.write(Self.planFile, String(decoding: data, as: UTF8.self))
            completed = []
        }
    }

    /// An existing non-empty `<out>` folder is an error unless `force`, which removes it; a file there is an
    /// `OutputError` (exit 5), forced or not.
    static func refuseExisting(_ path: String, force: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            // Not a results folder at all: a file is in the way (exit 5, as any folder that cannot be written).
            throw OutputError(path: path, reason: "cannot create the folder: a file is in the way")
        }
        let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        if contents.isEmpty { return }
        guard force else {
            throw ResultFolderError(
                "\(path) already exists and is not empty; use --force to replace it, or choose another --out")
        }
        do { try manager.removeItem(atPath: path) } catch {
            throw OutputError(path: path, reason: "cannot remove it for --force: \(error.localizedDescription)")
        }
    }

    /// The checkpoint file of one replicate.
    static func checkpointName(_ item: WorkItem) -> String { "c\(item.config)-r\(item.replicate).json" }

    /// Writes one finished replicate (atomically: temporary file, then rename).
    func checkpoint(_ outcome: ReplicateOutcome) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(outcome.result)
        try OutputFolder(path: checkpointPath).write(
            Self.checkpointName(outcome.item), String(decoding: data, as: UTF8.self))
    }

    /// Every readable checkpoint; an unreadable one is ignored (its replicate runs again).
    static func readCheckpoints(_ path: String) -> [ReplicateOutcome] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var outcomes: [ReplicateOutcome] = []
        for name in names.sorted() where name.hasPrefix("c") && name.hasSuffix(".json") {
            let parts = name.dropFirst().dropLast(5).split(separator: "-r")
            guard parts.count == 2, let config = Int(parts[0]), let replicate = Int(parts[1]),
                let data = FileManager.default.contents(atPath: (path as NSString).appendingPathComponent(name)),
                let result = try? JSONDecoder().decode(ReplicateResult.self, from: data), result.replicate == replicate
            else { continue }
            outcomes.append(ReplicateOutcome(item: WorkItem(config: config, replicate: replicate), result: result))
        }
        return outcomes
    }

    /// Removes the checkpoints, writes manifest.json last (complete, with every file's SHA-256) and renames the
    /// folder to its final name.
    func finish(manifest: Manifest) throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: checkpointPath)
        var manifest = manifest
        manifest.command = command
        manifest.complete = true
        manifest.files = try Self.checksums(of: folder.path)
        try folder.write("manifest.json", manifest.json)
        do {
            try manager.moveItem(atPath: folder.path, toPath: finalPath)
        } catch {
            throw OutputError(
                path: finalPath, reason: "cannot rename \(folder.path) into place: \(error.localizedDescription)")
        }
    }

    /// SHA-256 of every file under `root` but manifest.json, by relative path.
    static func checksums(of root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else { return result }
        while let relative = enumerator.nextObject() as? String {
            guard relative != "manifest.json" else { continue }
            let path = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = manager.contents(atPath: path) else {
                throw OutputError(path: path, reason: "cannot read it back to checksum it")
            }
            result[relative] = SHA256.hex(data)
        }
        return result
    }
}

/// A results folder that cannot be used as asked (exists without --force, cannot be resumed): exit 2.
struct ResultFolderError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
