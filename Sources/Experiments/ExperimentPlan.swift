import OnboardingEngine
import Scenarios
import Simulation

/// One configuration of an experiment: the scenario with one point of the sweep grid applied.
public struct Configuration: Sendable {
    /// 0-based position in the grid (first sweep axis slowest).
    public var index: Int
    /// The label used in every output's `config` column: `c0`, `c1`, …
    public var name: String
    /// The swept settings of this configuration, in sweep-axis order.
    public var settings: [(path: String, value: SettingValue)]
    public var scenario: Scenario
    public var simulation: SimulationConfig
}

/// What an experiment runs: configurations × replicates of one scenario (SPEC §3).
public struct ExperimentPlan: Sendable {
    public var scenario: Scenario
    public var configurations: [Configuration]
    public var baseline: Int
    public var replicates: Int
    public var horizonDays: Int
    public var scale: Double

    /// The swept setting paths, in sweep-axis order (the columns of configs.csv).
    public var sweptPaths: [String] { scenario.sweep.map(\.path) }

    /// Builds the plan. `sweep: false` runs the scenario's base settings only (one configuration), which is what
    /// `run` and `check` do; `overrides` (the `--set` options) change the base settings first; `axes` (the
    /// `tune --grid` options) replace the scenario's sweep, and `baseline` names its baseline.
    public init(
        scenario: Scenario, sweep: Bool, replicates: Int? = nil, seed: UInt64? = nil, horizonDays: Int? = nil,
        scale: Double = 1, overrides: [String: SettingValue] = [:], axes: [SweepAxis]? = nil,
        baseline: [String: SettingValue]? = nil
    ) throws {
        var base = try scenario.applying(overrides)
        if let seed { base.seed = seed }
        if let horizonDays {
            // A shorter run keeps the resolved scenario valid: checks and drifts past the new horizon are dropped
            // (they could not be evaluated or take effect).
            base.horizonDays = horizonDays
            base.checks.removeAll { $0.championIsTrueBestByDay >= horizonDays }
            for p in base.personas.indices { base.personas[p].drift.removeAll { $0.day >= horizonDays } }
        }
        if let replicates { base.replicates = replicates }
        if !sweep {
            base.sweep = []
            base.baseline = [:]
        }
        if let axes {
            base.sweep = axes
            base.baseline = [:]
        }
        if let baseline { base.baseline = baseline }
        self.scenario = base
        self.replicates = base.replicates
        self.horizonDays = base.horizonDays
        self.scale = scale
        let grid = base.configurations()
        var configurations: [Configuration] = []
        for (i, overrides) in grid.enumerated() {
            let applied = try base.applying(overrides)
            configurations.append(
                Configuration(
                    index: i, name: "c\(i)",
                    settings: base.sweep.compactMap { axis in overrides[axis.path].map { (axis.path, $0) } },
                    scenario: applied,
                    simulation: try ScenarioMapping.simulationConfig(
                        from: applied, seed: base.seed, horizonDays: base.horizonDays, scale: scale)))
        }
        self.configurations = configurations
        self.baseline = base.baselineConfigurationIndex()
    }

    /// The (configuration, replicate) work items, configuration-major.
    public var tasks: [WorkItem] {
        configurations.indices.flatMap { c in (0..<replicates).map { WorkItem(config: c, replicate: $0) } }
    }
}

/// One replicate of one configuration.
public struct WorkItem: Sendable, Hashable, Comparable {
    public var config: Int
    public var replicate: Int

    public init(config: Int, replicate: Int) {
        self.config = config
        self.replicate = replicate
    }

    public static func < (a: WorkItem, b: WorkItem) -> Bool { (a.config, a.replicate) < (b.config, b.replicate) }
}

/// `sweep --shard k/n`: the k-th (1-based) of n disjoint slices of the work items, dealt round-robin.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw EngineError.invalidArgument("a shard is k/n with 1 ≤ k ≤ n, found \(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `k/n`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw EngineError.invalidArgument("a shard is written k/n (e.g. 2/8), found '\(text)'")
        }
        try self.init(index: k, count: n)
    }

    public func contains(position: Int) -> Bool { position % count == index - 1 }

    public var description: String { "\(index)/\(count)" }
}
