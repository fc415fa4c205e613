import Scenarios

/// The configurations of a result folder (configs.csv): names, swept values and the baseline.
public struct ConfigTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var values: [String: SettingValue]

        public init(name: String, values: [String: SettingValue]) {
            self.name = name
            self.values = values
        }
    }

    public var paths: [String]
    public var configs: [Entry]
    public var baseline: String

    public init(paths: [String], configs: [Entry], baseline: String) {
        self.paths = paths
        self.configs = configs
        self.baseline = baseline
    }

    public init(plan: ExperimentPlan) {
        paths = plan.sweptPaths
        configs = plan.configurations.map { c in
            Entry(name: c.name, values: Dictionary(uniqueKeysWithValues: c.settings.map { ($0.path, $0.value) }))
        }
        baseline = plan.configurations[plan.baseline].name
    }

    /// A short human label: "engine.epsilon=0.1, engine.min_champion_sample=30" (the name when nothing is swept).
    public func label(_ name: String) -> String {
        guard let entry = configs.first(where: { $0.name == name }), !paths.isEmpty else { return name }
        return paths.map { "\($0)=\(entry.values[$0]?.description ?? "")" }.joined(separator: ", ")
    }
}
