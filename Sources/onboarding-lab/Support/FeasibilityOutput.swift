import Experiments

/// Feasibility warnings on stderr, one `warning: …` line each (the exit code is not changed).
enum FeasibilityOutput {
    static func print(_ warnings: [FeasibilityWarning], file: String? = nil) {
        for w in warnings { StandardError.write("warning: \(file.map { "\($0): " } ?? "")\(w)") }
    }
}
