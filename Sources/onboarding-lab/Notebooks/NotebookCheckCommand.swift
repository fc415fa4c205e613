import ArgumentParser
import Foundation
import Notebooks

struct NotebookCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Re-run the notebooks in a scratch copy and compare outputs and result files with the committed ones.",
        discussion: """
            Each notebook runs in a fresh copy of the repository (without .build*, .git and results/), so the \
            repository is left untouched. It passes when the re-run prints exactly the notebook's output blocks, \
            every command succeeds, and every file under the paths its commands write (--out) is byte-identical \
            to the committed one — except manifest.json, of which only the command (without the executable's \
            path) is compared. Differences are printed as unified diffs on stdout. Exit codes: 0 every notebook \
            is reproduced; 1 something differs or a command failed; 2 a malformed notebook (nothing ran).
            """)

    @OptionGroup var input: NotebookInput

    func run() throws {
        let notebooks = try input.notebooks()
        let root = try input.rootFolder()
        let check = NotebookCheck(runner: NotebookRunner(executable: NotebookInput.executable()))
        var failing = 0
        for (path, notebook) in notebooks {
            let started = Date()
            let report: NotebookCheck.Report
            do {
                report = try check.check(
                    notebook, path: relativePath(path, root: root), root: root,
                    progress: input.progress(path, echoStandardError: false))
            } catch {
                StandardError.write("error: \(path): \(error.localizedDescription)")
                throw LabExit.outputFailed
            }
            for difference in report.differences {
                print(difference, terminator: difference.hasSuffix("\n") ? "" : "\n")
            }
            for (command, outcome) in report.failures {
                print("\(path):\(command.line): exit status \(outcome.exitCode): \(command.display)")
            }
            if report.passed {
                print("\(path): reproduced")
            } else {
                failing += 1
                print(
                    "\(path): NOT reproduced (\(report.differences.count) difference(s), \(report.failures.count) failed command(s))"
                )
            }
            if !input.quiet {
                StandardError.write(String(format: "%@: %.1f s", path, Date().timeIntervalSince(started)))
            }
        }
        if failing > 0 { throw LabExit.checkFailed }
    }

    /// `path` relative to `root` when it lies inside it (for diff labels), else as given.
    func relativePath(_ path: String, root: URL) -> String {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : path
    }
}
