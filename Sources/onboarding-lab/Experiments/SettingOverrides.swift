import ArgumentParser
import Scenarios

/// `--set path=value` (repeatable): changes a setting of the scenario before it runs, type- and range-checked
/// like the file (e.g. `--set engine.window_days=60 --set engine.count_immature=false`).
struct SettingOverrides: ParsableArguments {
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override a setting: path=value (repeatable).", valueName: "path=value"))
    var assignments: [String] = []

    func validate() throws { _ = try parsed() }

    func parsed() throws -> [String: SettingValue] {
        var result: [String: SettingValue] = [:]
        for text in assignments {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw ValidationError("--set expects path=value, found '\(text)'")
            }
            let path = String(text[..<eq])
            guard Scenario.settingPaths.contains(path) else {
                throw ValidationError(
                    "--set \(path): not a setting path; settings: \(Scenario.settingPaths.joined(separator: ", "))")
            }
            let value = SettingValue(parsing: String(text[text.index(after: eq)...]))
            if let problem = Scenario.settingProblem(path: path, value: value) {
                throw ValidationError("--set \(path): \(problem)")
            }
            result[path] = value
        }
        return result
    }
}
