import Foundation

/// Compares a committed result path (a folder, or a file) with the one a re-run wrote: every file byte for byte,
/// except `manifest.json`, of which only the command (without the executable's path) is compared — its times,
/// thread count, checksums and any later keys describe the run, not the result — and engine databases
/// (`*.sqlite`), which are neither committed (`.gitignore`) nor compared: they are megabytes of binary engine state,
/// and what a notebook reads from them (`inspect`) is in its output blocks, which are compared.
public enum ResultComparison {
    public static let manifestName = "manifest.json"

    /// True for files left out of the comparison (engine databases and their SQLite side files).
    public static func isIgnored(_ path: String) -> Bool {
        path.hasSuffix(".sqlite") || path.hasSuffix(".sqlite-wal") || path.hasSuffix(".sqlite-shm")
            || path.hasSuffix(".sqlite-journal")
    }

    /// One message (a unified diff, or a line) per difference; empty when the two are identical.
    public static func differences(committed: URL, fresh: URL, label: String) throws -> [String] {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        let committedExists = files.fileExists(atPath: committed.path, isDirectory: &isFolder)
        guard committedExists else {
            return ["\(label): not in the repository (run `onboarding-lab notebook run` and commit it)"]
        }
        guard files.fileExists(atPath: fresh.path) else { return ["\(label): the re-run did not write it"] }
        if !isFolder.boolValue { return try compareFile(committed, fresh, label: label) }
        let old = try regularFiles(under: committed)
        let new = try regularFiles(under: fresh)
        var messages: [String] = []
        for path in old.union(new).sorted() where !isIgnored(path) {
            let name = "\(label)/\(path)"
            switch (old.contains(path), new.contains(path)) {
            case (true, false): messages.append("\(name): in the repository, not written by the re-run")
            case (false, true): messages.append("\(name): written by the re-run, not in the repository")
            default:
                messages += try compareFile(
                    committed.appendingPathComponent(path), fresh.appendingPathComponent(path), label: name)
            }
        }
        return messages
    }

    /// Paths (relative, `/`-separated) of the regular files under `folder`.
    static func regularFiles(under folder: URL) throws -> Set<String> {
        let files = FileManager.default
        var result = Set<String>()
        guard let enumerator = files.enumerator(atPath: folder.path) else { return result }
        while let path = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            if files.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder),
                !isFolder.boolValue
            {
                result.insert(path)
            }
        }
        return result
    }

    static func compareFile(_ committed: URL, _ fresh: URL, label: String) throws -> [String] {
        let old = try Data(contentsOf: committed)
        let new = try Data(contentsOf: fresh)
        if committed.lastPathComponent == manifestName {
            let oldCommand = command(in: old)
            let newCommand = command(in: new)
            guard oldCommand != newCommand else { return [] }
            return [
                UnifiedDiff.diff(
                    (oldCommand ?? ["(no command)"]).joined(separator: " ") + "\n",
                    (newCommand ?? ["(no command)"]).joined(separator: " ") + "\n",
                    oldLabel: "a/\(label) (command)", newLabel: "b/\(label) (command)")
            ]
        }
        guard old != new else { return [] }
        guard let oldText = String(data: old, encoding: .utf8), let newText = String(data: new, encoding: .utf8)
        else {
            return ["\(label): binary files differ"]
        }
        return [UnifiedDiff.diff(oldText, newText, oldLabel: "a/\(label)", newLabel: "b/\(label)")]
    }

    /// The manifest's command line without the executable (whose path depends on where the lab was built).
    static func command(in manifest: Data) -> [String]? {
        guard let object = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any],
            let command = object["command"] as? [String]
        else { return nil }
        return Array(command.dropFirst())
    }
}
