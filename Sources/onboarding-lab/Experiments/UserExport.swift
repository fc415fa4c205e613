import Experiments
import Foundation
import Reports
import Simulation

/// `run --export-users FILE`: each replicate streams its users into a fragment `FILE.parts/c<c>-r<r>.csv` (written
/// as `.tmp` and renamed when the replicate completes, before its checkpoint, so `--resume` finds the fragments of
/// the replicates it does not run again). When every replicate is done and the results folder is written, the
/// fragments are joined, in (configuration, replicate) order under one header, into `FILE.tmp`, which is renamed over
/// FILE (`rename(2)`: FILE is the old file or the complete new one, never half of either); `FILE.parts` is removed
/// only after the results folder is committed, so a run interrupted at any point can still be resumed.
struct UserExport {
    let file: String
    let directory: String
    let table: UserExportTable

    /// Refuses a FILE that is a folder, lies in a missing folder, or exists without `--force` (a resume may
    /// replace the FILE its interrupted run wrote), before anything is written.
    static func check(file: String, force: Bool, resuming: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: file, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw ResultFolderError("--export-users \(file): is a folder, expected a file") }
            if !force && !resuming {
                throw ResultFolderError("--export-users \(file): the file exists; use --force to replace it")
            }
        }
        let parent = (file as NSString).deletingLastPathComponent
        if !parent.isEmpty, !manager.fileExists(atPath: parent, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ResultFolderError("--export-users \(file): no such folder \(parent)")
        }
    }

    /// Prepares `FILE.parts/`: a new run starts it empty; a resume keeps the fragments of the replicates it keeps
    /// (each must be there) and removes the others.
    init(file: String, world: World, completed: [WorkItem], resuming: Bool) throws {
        let manager = FileManager.default
        self.file = file
        self.directory = file + ".parts"
        self.table = UserExportTable(world: world)
        do {
            if !resuming, manager.fileExists(atPath: directory) { try manager.removeItem(atPath: directory) }
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let keep = Set(completed.map { (fragment($0) as NSString).lastPathComponent })
            for name in try manager.contentsOfDirectory(atPath: directory) where !keep.contains(name) {
                try manager.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
        } catch {
            throw OutputError(path: directory, reason: "cannot prepare the folder: \(error.localizedDescription)")
        }
        for item in completed where !manager.fileExists(atPath: fragment(item)) {
            throw ResultFolderError(
                "\(fragment(item)): missing — the interrupted run did not export users for every finished replicate; "
                    + "start again without --resume")
        }
    }

    func fragment(_ item: WorkItem) -> String {
        (directory as NSString).appendingPathComponent("c\(item.config)-r\(item.replicate).csv")
    }

    func sink(_ item: WorkItem, config: String) throws -> any UserSink {
        try FragmentSink(path: fragment(item), table: table, config: config, replicate: item.replicate)
    }

    /// Joins the fragments of `items` into FILE (through `FILE.tmp`, removed again on failure).
    func join(items: [WorkItem]) throws {
        let temporary = file + ".tmp"
        var header = ""
        CSVTable.appendRecord(table.header, to: &header)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(header.utf8)),
            let out = FileHandle(forWritingAtPath: temporary)
        else { throw OutputError(path: temporary, reason: "cannot create the file") }
        do {
            defer { try? out.close() }
            try out.seekToEnd()
            for item in items {
                guard let data = FileManager.default.contents(atPath: fragment(item)) else {
                    throw OutputError(path: fragment(item), reason: "missing fragment")
                }
                try out.write(contentsOf: data)
            }
            try out.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error as? OutputError ?? OutputError(path: temporary, reason: error.localizedDescription)
        }
        try Self.replace(file, with: temporary)
    }

    /// Removes the fragments once the results folder is committed.
    func removeFragments() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `rename(2)`: `target` becomes `source` in one step, replacing what was there.
    static func replace(_ target: String, with source: String) throws {
        guard rename(source, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: source)
            throw OutputError(path: target, reason: "cannot replace it: \(reason)")
        }
    }
}

/// Writes one replicate's rows to `<fragment>.tmp` in 1 MB chunks; `finish` renames it over the fragment.
final class FragmentSink: UserSink {
    let path: String
    let table: UserExportTable
    let config: String
    let replicate: Int
    private let handle: FileHandle
    private var buffer = ""
    private var closed = false

    init(path: String, table: UserExportTable, config: String, replicate: Int) throws {
        self.path = path
        self.table = table
        self.config = config
        self.replicate = replicate
        guard FileManager.default.createFile(atPath: path + ".tmp", contents: nil),
            let handle = FileHandle(forWritingAtPath: path + ".tmp")
        else { throw OutputError(path: path + ".tmp", reason: "cannot create the file") }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !closed { try? handle.close() }
    }

    func add(_ user: ExportedUser) throws {
        CSVTable.appendRecord(table.row(config: config, replicate: replicate, user), to: &buffer)
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    func finish() throws {
        try flush()
        closed = true
        try handle.close()
        try UserExport.replace(path, with: path + ".tmp")
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: Data(buffer.utf8))
        } catch {
            throw OutputError(path: path + ".tmp", reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
