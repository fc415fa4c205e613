import Experiments
import Foundation
import Reports
import Simulation

/// `run --export-users FILE`: each replicate streams its users into a fragment under `<out>.partial/users/` (renamed
/// from `.tmp` when the replicate completes, before its checkpoint, so `--resume` finds the fragments of the
/// replicates it does not run again); when the run is complete the fragments are joined, in (configuration,
/// replicate) order under one header, into `FILE.tmp`, which is renamed to FILE — so FILE is either absent or
/// complete, and identical for any thread count.
struct UserExport {
    static let folderName = "users"

    let file: String
    let directory: String
    let table: UserExportTable

    /// Refuses a FILE that is a folder, lies in a missing folder, or exists without `--force` (before anything
    /// is written).
    static func check(file: String, force: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: file, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw ResultFolderError("--export-users \(file): is a folder, expected a file") }
            if !force {
                throw ResultFolderError("--export-users \(file): the file exists; use --force to replace it")
            }
        }
        let parent = (file as NSString).deletingLastPathComponent
        if !parent.isEmpty, !manager.fileExists(atPath: parent, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ResultFolderError("--export-users \(file): no such folder \(parent)")
        }
    }

    /// Creates the fragment folder in the run's partial folder and checks that every replicate a resume keeps has
    /// its fragment.
    init(file: String, partial: OutputFolder, world: World, completed: [WorkItem]) throws {
        let manager = FileManager.default
        self.file = file
        self.directory = partial.file(Self.folderName)
        self.table = UserExportTable(world: world)
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: directory, reason: "cannot create the folder: \(error.localizedDescription)")
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

    /// Joins the fragments of `items` into FILE and removes the fragment folder.
    func finish(items: [WorkItem]) throws {
        let temporary = file + ".tmp"
        let manager = FileManager.default
        var header = ""
        CSVTable.appendRecord(table.header, to: &header)
        guard manager.createFile(atPath: temporary, contents: Data(header.utf8)),
            let out = FileHandle(forWritingAtPath: temporary)
        else { throw OutputError(path: temporary, reason: "cannot create the file") }
        do {
            try out.seekToEnd()
            for item in items {
                guard let data = manager.contents(atPath: fragment(item)) else {
                    throw OutputError(path: fragment(item), reason: "missing fragment")
                }
                try out.write(contentsOf: data)
            }
            try out.close()
            if manager.fileExists(atPath: file) { try manager.removeItem(atPath: file) }
            try manager.moveItem(atPath: temporary, toPath: file)
            try manager.removeItem(atPath: directory)
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError(path: file, reason: error.localizedDescription)
        }
    }
}

/// Writes one replicate's rows to `<fragment>.tmp` in 1 MB chunks; `finish` renames it to the fragment.
final class FragmentSink: UserSink {
    let path: String
    let table: UserExportTable
    let config: String
    let replicate: Int
    private let handle: FileHandle
    private var buffer = ""

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

    func add(_ user: ExportedUser) throws {
        CSVTable.appendRecord(table.row(config: config, replicate: replicate, user), to: &buffer)
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    func finish() throws {
        try flush()
        try handle.close()
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
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
