import Scenarios
import Stochastics

/// The per-replicate values a race needs after a round: the objective, and every `--require` metric for each
/// persona it applies to (config index → replicate → value; `first_correct_day` censored at the horizon).
struct RacingMetricTable {
    var objective: [Int: [Int: Double]]
    /// "metric|persona" → config → replicate → value.
    var constrained: [String: [Int: [Int: Double]]]
    var constraints: [MetricConstraint]
    var constraintPersonas: [String: [String]]

    init(outcomes: [ReplicateOutcome], plan: ExperimentPlan, options: RacingOptions) throws {
        objective = Self.values(outcomes, plan: plan, metric: options.objective, persona: options.persona)
        constraints = options.constraints
        constrained = [:]
        constraintPersonas = [:]
        for constraint in options.constraints {
            let personas =
                options.persona == "ALL" && RacingOptions.perPersonaOnly.contains(constraint.metric)
                ? plan.scenario.personas.map(\.id) : [options.persona]
            constraintPersonas[constraint.metric] = personas
            for persona in personas {
                let values = Self.values(outcomes, plan: plan, metric: constraint.metric, persona: persona)
                if let empty = Set(outcomes.map(\.item.config)).sorted().first(where: {
                    values[$0, default: [:]].isEmpty
                }) {
                    throw StatisticsError(
                        "tune --require \(constraint): configuration \(plan.configurations[empty].name) has no value of \(constraint.metric) for persona \(persona)"
                    )
                }
                constrained["\(constraint.metric)|\(persona)"] = values
            }
        }
    }

    /// The constraint's values for configuration `config`, one series per persona it applies to (replicate order).
    func series(_ config: Int, _ constraint: MetricConstraint) -> [[Double]] {
        (constraintPersonas[constraint.metric] ?? []).map { persona in
            let values = constrained["\(constraint.metric)|\(persona)"]?[config] ?? [:]
            return values.keys.sorted().compactMap { values[$0] }
        }
    }

    /// The constraints whose mean configuration `config` misses (for some persona they apply to).
    func missed(_ config: Int) -> [MetricConstraint] {
        constraints.filter { constraint in
            series(config, constraint).contains { v in
                !v.isEmpty && !constraint.isMet(by: v.reduce(0, +) / Double(v.count))
            }
        }
    }

    /// config index → replicate → the metric's value for `persona`.
    static func values(_ outcomes: [ReplicateOutcome], plan: ExperimentPlan, metric: String, persona: String) -> [Int:
        [Int: Double]]
    {
        var values: [Int: [Int: Double]] = [:]
        for o in outcomes {
            guard let summary = o.result.summaries.first(where: { $0.persona == persona }) else { continue }
            let row = ReplicateRow(
                config: plan.configurations[o.item.config].name, replicate: o.item.replicate, summary: summary)
            if let v = row.value(metric, censoredAt: plan.horizonDays) {
                values[o.item.config, default: [:]][o.item.replicate] = v
            }
        }
        return values
    }
}
