import ArgumentParser
import Experiments
import Scenarios

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files: prints `<file>: ok` or every error as file:line:column: setting path: reason.",
        discussion: "Exit code 0 when every file is valid, 2 otherwise.")

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        var failed = false
        for file in files {
            do {
                _ = try ScenarioValidation.load(path: file)
                print("\(file): ok")
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
