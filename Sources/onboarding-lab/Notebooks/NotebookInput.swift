import ArgumentParser
import Foundation
import Notebooks

/// The notebooks and repository root shared by `notebook run` and `notebook check`.
struct NotebookInput: ParsableArguments {
    @Argument(help: ArgumentHelp("Notebook files (Markdown).", valueName: "file"))
    var files: [String]

    @Option(
        help: ArgumentHelp(
            "The repository root the commands run from (default: the nearest folder above the first notebook that holds Package.swift).",
            valueName: "dir"))
    var root: String?

    @Flag(help: "Print nothing on stderr but errors.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one notebook file") }
        if let root {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--root must be an existing folder, found '\(root)'")
            }
        }
    }

    /// The repository root: `--root`, else the nearest ancestor of the first notebook holding Package.swift.
    func rootFolder() throws -> URL {
        if let root { return URL(fileURLWithPath: root).standardizedFileURL }
        let files = FileManager.default
        var folder = URL(fileURLWithPath: self.files[0]).standardizedFileURL.deletingLastPathComponent()
        while true {
            if files.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        StandardError.write(
            "error: \(self.files[0]): no folder above it holds Package.swift; give the repository root with --root")
        throw LabExit.invalidInput
    }

    /// Every notebook, read and parsed before anything runs; a missing file or a malformed notebook exits 2.
    func notebooks() throws -> [(path: String, notebook: Notebook)] {
        var result: [(String, Notebook)] = []
        var failed = false
        for path in files {
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                StandardError.write("error: \(path): cannot read the notebook (missing, or not UTF-8 text)")
                failed = true
                continue
            }
            do {
                result.append((path, try Notebook(text: text, file: path)))
            } catch {
                StandardError.write("error: \(error)")
                failed = true
            }
        }
        if failed { throw LabExit.invalidInput }
        return result
    }

    /// The executable of this process, which every notebook command runs as.
    static func executable() -> URL {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: target)
        }
        if let url = Bundle.main.executableURL { return url }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }

    /// Progress lines on stderr: the command before it runs, its exit status and time after.
    func progress(_ path: String, echoStandardError: Bool) -> (LabCommand, CommandOutcome?) -> Void {
        let started = Date()
        var commandStarted = started
        return { command, outcome in
            guard !quiet else { return }
            guard let outcome else {
                commandStarted = Date()
                StandardError.write("\(path):\(command.line): \(command.display)")
                return
            }
            if echoStandardError || !outcome.succeeded {
                for line in outcome.stderr.split(separator: "\n") { StandardError.write("  \(line)") }
            }
            StandardError.write(
                String(format: "  exit %d, %.1f s", outcome.exitCode, Date().timeIntervalSince(commandStarted)))
        }
    }
}
