import Scenarios
import Stochastics

/// Parses the `--grid` option of `sweep` and `tune`: `path=start:stop:step` (inclusive) or `path=v1,v2,…`.
///
/// The values are not range-checked here: ``ExperimentPlan`` applies every configuration like a file would and
/// names the path when a value is out of range; it also gives each value its setting's canonical type, so
/// `engine.epsilon=0,0.1` and `engine.epsilon=0:0.1:0.1` make the same configurations (`0.0`, `0.1`).
public enum GridSpec {
    public static func axis(_ text: String) throws -> SweepAxis {
        guard let eq = text.firstIndex(of: "=") else {
            throw StatisticsError("--grid expects path=start:stop:step or path=v1,v2,…, found '\(text)'")
        }
        let path = String(text[..<eq])
        let spec = String(text[text.index(after: eq)...])
        guard Scenario.settingPaths.contains(path) else {
            throw StatisticsError(
                "--grid \(path): not a setting path; settings: \(Scenario.settingPaths.joined(separator: ", "))")
        }
        let parts = spec.split(separator: ":").map(String.init)
        if parts.count == 3 {
            guard let start = Double(parts[0]), let stop = Double(parts[1]), let step = Double(parts[2]), step > 0,
                stop >= start
            else {
                throw StatisticsError(
                    "--grid \(path): expected start:stop:step with step > 0 and stop ≥ start, found '\(spec)'")
            }
            let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
            guard count <= 1000 else {
                throw StatisticsError("--grid \(path): \(count) values is too many (at most 1000)")
            }
            let integral = [start, stop, step].allSatisfy { $0 == $0.rounded() }
            let values: [SettingValue] = (0..<count).map { i in
                let v = start + Double(i) * step
                return integral ? .integer(Int(v.rounded())) : .number((v * 1e12).rounded() / 1e12)
            }
            return SweepAxis(path: path, values: values)
        }
        let values = spec.split(separator: ",").map { SettingValue(parsing: String($0)) }
        guard !values.isEmpty else { throw StatisticsError("--grid \(path): no values") }
        guard Set(values).count == values.count else {
            throw StatisticsError("--grid \(path): a value is listed twice in '\(spec)'")
        }
        return SweepAxis(path: path, values: values)
    }

    /// The axes of several `--grid` options; a path given twice is an error.
    public static func axes(_ texts: [String]) throws -> [SweepAxis] {
        let axes = try texts.map(axis)
        var seen: Set<String> = []
        for a in axes where !seen.insert(a.path).inserted {
            throw StatisticsError("--grid \(a.path) is given twice; list every value in one --grid")
        }
        return axes
    }
}
