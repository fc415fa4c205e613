import Experiments
import Stochastics

/// `## Recommendation` of report.md: what to choose, what it gains and costs, the best configuration per metric
/// and every significant difference, largest first, never truncated.
struct RecommendationSection {
    var recommendation: Recommendation
    var configs: ConfigTable

    func name(_ config: String) -> String {
        configs.paths.isEmpty ? "`\(config)`" : "`\(config)` (\(configs.label(config)))"
    }

    var text: String {
        let r = recommendation
        var out = "## Recommendation\n\n"
        guard r.configurations > 1 else {
            out +=
                "One configuration: nothing to compare. Sweep a setting (`sweep:` in the scenario, or `sweep --grid path=start:stop:step`) to get a recommendation; time to confidence and the results below describe this configuration.\n\n"
            return out
        }
        let test =
            "paired t-test over replicates (McNemar for final champion correct), Holm-adjusted, α = \(Format.number(r.alpha))"
        if r.beatsBaseline {
            out +=
                "**Choose \(name(r.recommended)).** It has the lowest cumulative regret under the objective (all personas) among the configurations significantly better than the baseline \(name(r.baseline)) (\(test)).\n\n"
        } else {
            out +=
                "**Keep the baseline \(name(r.baseline)).** No configuration has significantly lower cumulative regret under the objective (all personas) (\(test)).\n\n"
        }
        if r.beatsBaseline {
            out += "Against the baseline, \(name(r.recommended)):\n\n"
            for f in r.gains { out += "- \(Self.sentence(f))\n" }
            if r.costs.isEmpty {
                out += "- costs nothing significant on any persona or metric.\n"
            } else {
                out += "\nbut (trade-offs):\n\n"
                for f in r.costs { out += "- \(Self.sentence(f))\n" }
            }
            out += "\n"
        }

        out += "### Best configuration per metric\n\n"
        out += "| persona | metric | best | mean [95% CI] | vs baseline |\n|---|---|---|---|---|\n"
        for b in r.best {
            let versus =
                b.config == r.baseline
                ? "is the baseline"
                : b.significant
                    ? "significantly \(b.metric.biggerIsBetter == true ? "higher" : "lower")"
                    : "no significant difference"
            out +=
                "| \(b.persona) | \(b.metric.title) | \(b.config) | \(Format.fixed(b.summary.mean, b.metric.decimals)) [\(Format.fixed(b.summary.interval.lower, b.metric.decimals)), \(Format.fixed(b.summary.interval.upper, b.metric.decimals))] | \(versus) |\n"
        }
        out += "\n### Every significant difference from the baseline, largest first\n\n"
        if r.findings.isEmpty {
            out +=
                "**No significant difference**: no configuration differs from the baseline on any persona or metric (\(test)).\n\n"
        } else {
            out += "Size = |estimate| relative to the baseline's mean (absolute when that mean is 0).\n\n"
            for f in r.findings { out += "- `\(f.config)`: \(Self.sentence(f))\n" }
            out += "\n"
        }
        return out
    }

    /// "cumulative regret (ALL) lower by 716.2 [682.3, 750.1] (−21% [−22%, −20%]): better (p = 0.0001, paired t)".
    static func sentence(_ f: Finding) -> String {
        let d = f.metric.decimals
        let direction = f.estimate < 0 ? "lower" : "higher"
        let magnitude: String
        if let i = f.interval {
            let (a, b) = f.estimate < 0 ? (-i.upper, -i.lower) : (i.lower, i.upper)
            magnitude = "\(Format.fixed(abs(f.estimate), d)) [\(Format.fixed(a, d)), \(Format.fixed(b, d))]"
        } else {
            magnitude = Format.fixed(abs(f.estimate), d)
        }
        var relative = ""
        if let rel = f.relative {
            relative = " (\(signedPercent(rel))"
            if let ri = f.relativeInterval { relative += " [\(signedPercent(ri.lower)), \(signedPercent(ri.upper))]" }
            relative += ")"
        }
        let unit = f.metric == .firstCorrectDay ? " days" : ""
        return
            "\(f.metric.title) (\(f.persona)) \(direction) by \(magnitude)\(unit)\(relative): \(f.verdict.rawValue) (Holm p \(f.pAdjusted < 0.0001 ? "< 0.0001" : "= " + Format.pValue(f.pAdjusted)), \(f.test))"
    }

    static func signedPercent(_ share: Double) -> String {
        (share < 0 ? "−" : "+") + Format.fixed(abs(share) * 100, 1) + "%"
    }
}
