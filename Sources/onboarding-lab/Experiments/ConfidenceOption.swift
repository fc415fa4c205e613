import ArgumentParser
import Experiments

/// `--confidence`: the target share of replicates whose champion is the true best flow, for time to confidence
/// (summary.json `days_to_confidence`, report.md, the dashed line of the champion-correct charts).
struct ConfidenceOption: ParsableArguments {
    static let range = 0.5...0.999

    @Option(
        help: ArgumentHelp(
            "Target share for time to confidence, in [0.5, 0.999] (default 0.95).",
            discussion:
                "The first day from which at least this share of replicates has the true best flow as champion and keeps it to the horizon."
        ))
    var confidence: Double = TimeToConfidence.defaultTarget

    func validate() throws {
        guard Self.range.contains(confidence) else {
            throw ValidationError("--confidence must be in [0.5, 0.999], found \(confidence)")
        }
    }
}
