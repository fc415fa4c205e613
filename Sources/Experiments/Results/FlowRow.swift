import Simulation

/// One row of flows.csv: configuration × replicate × signup day × persona × flow presented (README, outputs).
@dynamicMemberLookup
public struct FlowRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var record: FlowDayRecord

    public static let columns = [
        "config", "replicate", "day", "persona", "flow", "presented", "completed", "activated", "retained", "upgraded",
    ]

    public init(config: String, replicate: Int, record: FlowDayRecord) {
        self.config = config
        self.replicate = replicate
        self.record = record
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<FlowDayRecord, Value>) -> Value { record[keyPath: keyPath] }
}

extension ExperimentResults {
    /// flows.csv rows, in output order (empty unless the plan records them, ``ExperimentPlan/recordsFlows``).
    public var flowRows: [FlowRow] {
        outcomes.flatMap { o in
            o.result.flows.map {
                FlowRow(config: plan.configurations[o.item.config].name, replicate: o.item.replicate, record: $0)
            }
        }
    }
}
