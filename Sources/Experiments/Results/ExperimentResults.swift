import Simulation

/// The outcome of a run or sweep: the plan and every replicate, ordered by (configuration, replicate).
public struct ExperimentResults: Sendable {
    public var plan: ExperimentPlan
    public var outcomes: [ReplicateOutcome]

    public init(plan: ExperimentPlan, outcomes: [ReplicateOutcome]) {
        self.plan = plan
        self.outcomes = outcomes.sorted { $0.item < $1.item }
    }

    /// Users simulated over every replicate.
    public var users: Int { outcomes.reduce(0) { $0 + ($1.result.summaries.last?.users ?? 0) } }

    /// replicates.csv rows, in output order.
    public var replicateRows: [ReplicateRow] {
        outcomes.flatMap { o in
            o.result.summaries.map {
                ReplicateRow(config: plan.configurations[o.item.config].name, replicate: o.item.replicate, summary: $0)
            }
        }
    }
}
