import Experiments
import Stochastics

/// What `tune` prints after the race: winner, runner-up, whether they are separated, constraints, savings, drops.
public struct TuneSummary: Sendable {
    public var plan: ExperimentPlan
    public var result: RacingResult
    public var options: RacingOptions

    public init(plan: ExperimentPlan, result: RacingResult, options: RacingOptions) {
        self.plan = plan
        self.result = result
        self.options = options
    }

    var configs: ConfigTable { ConfigTable(plan: plan) }

    /// The current setting of the swept paths: "engine.epsilon=0.2".
    public var currentSetting: String {
        plan.sweptPaths.map { "\($0)=\(plan.scenario.value(at: $0)?.description ?? "")" }.joined(separator: ", ")
    }

    func describe(_ name: String) -> String {
        guard let s = result.summaries[name] else { return "\(name) (\(configs.label(name)))" }
        return
            "\(name) (\(configs.label(name))): \(options.objective) \(Format.fixed(s.mean, 4)) [95% CI \(Format.fixed(s.interval.lower, 4)), \(Format.fixed(s.interval.upper, 4))], n = \(s.n)"
    }

    var test: String {
        "one-sided paired t-test on common replicates, Holm-adjusted, α = \(Format.number(options.alpha))"
    }

    /// "p = 0.0312" or "p < 0.0001".
    static func p(_ value: Double) -> String {
        let text = Format.pValue(value)
        return text.hasPrefix("<") ? "p \(text)" : "p = \(text)"
    }

    /// The separation sentence (nil when there is no winner or no runner-up).
    public var separationLine: String? {
        guard let winner = result.winner else { return nil }
        guard let runnerUp = result.runnerUp else {
            return "separation: \(winner) is the only configuration left that meets the constraints"
        }
        let p = result.separation.pAdjusted.map { "Holm \(Self.p($0))" } ?? "no test possible"
        if result.separation.significant {
            return "separation: \(winner) is significantly better than \(runnerUp) (\(p); \(test))"
        }
        var line = "separation: no significant difference between \(winner) and \(runnerUp) (\(p); \(test))"
        if let closest = result.separation.closestToCurrent {
            let tied = result.separation.tied
            line +=
                "; of the \(tied.count) configuration(s) not significantly worse than \(winner) (\(tied.joined(separator: ", "))), the closest to the current setting (\(currentSetting)) is \(closest) (\(configs.label(closest)))"
        }
        return line
    }

    public var lines: [String] {
        var out: [String] = []
        if let winner = result.winner {
            out.append("winner:    \(describe(winner))")
        } else {
            out.append(
                "no winner: no configuration meets \(options.constraints.map(\.description).joined(separator: " and "))"
            )
        }
        if let runnerUp = result.runnerUp { out.append("runner-up: \(describe(runnerUp))") }
        if let separationLine { out.append(separationLine) }
        for name in plan.configurations.map(\.name) {
            guard let missed = result.infeasible[name] else { continue }
            out.append("  \(name) (\(configs.label(name))) misses \(missed.map(\.description).joined(separator: ", "))")
        }
        let saved = result.fullGridReplicates - result.replicatesRun
        out.append(
            "replicates: \(result.replicatesRun) run in \(result.rounds) round(s), against \(result.fullGridReplicates) for the full grid (\(saved) saved, \(Format.fixed(100 * Double(saved) / Double(max(result.fullGridReplicates, 1)), 1))%)"
        )
        for d in result.drops {
            let reason =
                d.violated.map { "violates \($0)" } ?? "worse than \(d.versus ?? "the leader")"
            out.append(
                "  dropped \(d.config) (\(configs.label(d.config))) after \(d.afterReplicates) replicates: \(reason), Holm \(Self.p(d.pAdjusted))"
            )
        }
        return out
    }
}
