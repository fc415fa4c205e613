import ArgumentParser
import Experiments
import Scenarios

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files: prints `<file>: ok` or every error as file:line:column: setting path: reason.",
        discussion: """
            Exit code 0 when every file is valid, 2 otherwise. A valid file may get warnings on stderr \
            (`warning: file: path: message`): settings that cannot work for its traffic or structure — a flow that \
            cannot collect min_champion_sample users in the window, an unreachable flow, ε above the law, an A/B \
            test longer than the run, a check before its persona's candidates exist. Warnings do not change the \
            exit code; run, sweep, tune and check print them too and list them in summary.json and report.md.
            """)

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        var failed = false
        for file in files {
            do {
                let scenario = try ScenarioValidation.load(path: file)
                print("\(file): ok")
                FeasibilityOutput.print(Feasibility.warnings(for: scenario), file: file)
            } catch let error as ScenarioError {
                failed = true
                for d in error.diagnostics { print(d.description) }
            } catch {
                failed = true
                print("\(file): \(error)")
            }
        }
        if failed { throw LabExit.invalidInput }
    }
}
