import Foundation

/// A results folder. Every file is written to a temporary name and renamed into place, so a failed or
/// interrupted run never leaves a truncated file, and files already written are never corrupted.
struct OutputFolder {
    let path: String

    init(path: String) throws {
        self.path = path
        // A file where a folder of the path should be: say which (Foundation says only "error 512").
        var ancestor = URL(fileURLWithPath: path).standardizedFileURL
        while ancestor.path != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw OutputError(
                        path: path, reason: "cannot create the folder: \(ancestor.path) is a file, not a folder")
                }
                break
            }
            ancestor.deleteLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws {
        let target = file(name)
        let temporary = file(".\(name).partial")
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw OutputError(path: target, reason: error.localizedDescription)
        }
    }

    /// Writes one file at `path` (its folder is created), atomically like `write(_:_:)`.
    static func writeFile(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = try OutputFolder(path: url.deletingLastPathComponent().path)
        try folder.write(url.lastPathComponent, text)
    }

    func read(_ name: String) throws -> String {
        let target = file(name)
        guard let data = FileManager.default.contents(atPath: target) else {
            throw OutputError(path: target, reason: "no such file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct OutputError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
