import ArgumentParser
import Foundation
import Notebooks

struct NotebookRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every command of the notebooks and write their outputs into the notebooks.",
        discussion: """
            Every notebook is parsed before anything runs. Each notebook is rewritten in place (atomically) once \
            all its commands have run. Exit codes: 0 every command succeeded; 1 a command failed (its standard \
            error and exit status are in its output block); 2 a malformed notebook (nothing ran); 5 a notebook \
            or result could not be written.
            """)

    @OptionGroup var input: NotebookInput

    func run() throws {
        let notebooks = try input.notebooks()
        let root = try input.rootFolder()
        let runner = NotebookRunner(executable: NotebookInput.executable())
        var failed = 0
        for (path, notebook) in notebooks {
            let run: NotebookRunner.Run
            do {
                run = try runner.run(notebook, root: root, progress: input.progress(path, echoStandardError: true))
            } catch {
                StandardError.write("error: \(path): \(error.localizedDescription)")
                throw LabExit.outputFailed
            }
            try CommandFailure.reporting { try OutputFolder.writeFile(path, run.text) }
            for (command, outcome) in run.failures {
                StandardError.write(
                    "error: \(path):\(command.line): exit status \(outcome.exitCode): \(command.display)")
            }
            failed += run.failures.count
            print(
                "\(path): \(notebook.commands.count) command(s) run"
                    + (run.failures.isEmpty ? "" : ", \(run.failures.count) failed"))
        }
        if failed > 0 { throw LabExit.checkFailed }
    }
}
