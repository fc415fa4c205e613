import Experiments
import OnboardingEngine

/// The feasibility warnings in report.md (`## Warnings`) and summary.json (`warnings`).
enum WarningsSection {
    /// Empty when there is no warning.
    static func markdown(_ warnings: [FeasibilityWarning]) -> String {
        guard !warnings.isEmpty else { return "" }
        var out = "## Warnings\n\n"
        out +=
            "Settings that cannot work for this scenario's traffic or structure, found before running it (estimates from expected traffic; see the README, \"Feasibility warnings\").\n\n"
        for w in warnings { out += "- `\(w.path)`: \(w.message)\(under(w))\n" }
        return out + "\n"
    }

    /// `[{persona, path, configurations, message}]`.
    static func json(_ warnings: [FeasibilityWarning]) -> JSONValue {
        .array(
            warnings.map { w in
                .object([
                    "persona": w.persona.map(JSONValue.string) ?? .null, "path": .string(w.path),
                    "configurations": .array(w.configurations.map(JSONValue.string)), "message": .string(w.message),
                ])
            })
    }

    static func under(_ w: FeasibilityWarning) -> String {
        w.configurations.isEmpty ? "" : " (under \(w.configurations.joined(separator: ", ")))"
    }
}
