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

    /// Whether the results include flows.csv: when some persona or flow of the scenario has a step funnel.
    public var recordsFlows: Bool {
        scenario.personas.contains { $0.funnel != nil || $0.flows.contains { $0.funnel != nil } }
    }

    /// Builds the plan. `sweep: false` runs the scenario's base settings only (one configuration), which is what
    /// `run` and `check` do; `overrides` (the `--set` options) change the base settings first; `axes` (the
    /// `--grid` options of `sweep` and `tune`) replace the scenario's sweep, and `baseline` names its baseline
    /// (by default, with `axes`, the configuration closest to the base settings, ``closestToBase(among:)``).
    /// Each configuration's swept values take their setting's canonical type, so the same values give the same
    /// `config` names and configs.csv whichever command or spelling built the plan.
    public init(
        scenario: Scenario, sweep: Bool, replicates: Int? = nil, seed: UInt64? = nil, horizonDays: Int? = nil,
        scale: Double = 1, overrides: [String: SettingValue] = [:], axes: [SweepAxis]? = nil,
        baseline: [String: SettingValue]? = nil
    ) throws {
        let horizon = horizonDays ?? scenario.horizonDays
        if scale != 1 || horizon != scenario.horizonDays,
            let problem = ScenarioLimits.trafficProblem(scenario.traffic, horizonDays: horizon, scale: scale)
        {
            throw PlanInputError(option: scale != 1 ? "--scale" : "--horizon", reason: problem)
        }
        var base = try scenario.applying(overrides)
        if let seed { base.seed = seed }
        if let horizonDays {
            // A shorter run keeps the resolved scenario valid: checks, drifts, ramps and inference periods past the
            // new horizon are dropped (they could not be evaluated or take effect).
            base.horizonDays = horizonDays
            base.checks.removeAll { $0.championIsTrueBestByDay >= horizonDays }
            for p in base.personas.indices {
                base.personas[p].drift.removeAll { $0.day >= horizonDays }
                base.personas[p].trends.removeAll {
                    if case .ramp(_, _, let startDay, _) = $0.shape { return startDay >= horizonDays }
                    return false
                }
            }
            base.personaInference?.periods.removeAll { $0.fromDay >= horizonDays }
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
                    settings: base.sweep.compactMap { axis in
                        overrides[axis.path].map { (axis.path, applied.value(at: axis.path) ?? $0) }
                    },
                    scenario: applied,
                    simulation: try ScenarioMapping.simulationConfig(
                        from: applied, seed: base.seed, horizonDays: base.horizonDays, scale: scale)))
        }
        self.configurations = configurations
        self.baseline = base.baselineConfigurationIndex()
        if axes != nil && baseline == nil {
            self.baseline = closestToBase(among: Array(configurations.indices)) ?? 0
        }
    }

    /// How far configuration `index` is from the base settings (the scenario with `--set` applied, before the
    /// grid): the sum over swept paths of |value − base| / (the axis' largest − smallest value) for numbers (0 when
    /// the axis has one value), and 0 or 1 (equal or not) for booleans and strings. 0 means "the current setting".
    public func distanceToBase(_ index: Int) -> Double {
        var distance = 0.0
        for (path, value) in configurations[index].settings {
            let current = scenario.value(at: path)
            if let v = value.doubleValue, let c = current?.doubleValue {
                let all = configurations.compactMap { config in
                    config.settings.first { $0.path == path }?.value.doubleValue
                }
                let span = (all.max() ?? v) - (all.min() ?? v)
                distance += span > 0 ? abs(v - c) / span : (v == c ? 0 : 1)
            } else {
                distance += value == current ? 0 : 1
            }
        }
        return distance
    }

    /// Of `indices`, the configuration closest to the base settings (``distanceToBase(_:)``; ties: the first in
    /// grid order); nil when `indices` is empty.
    public func closestToBase(among indices: [Int]) -> Int? {
        indices.min { a, b in
            let (da, db) = (distanceToBase(a), distanceToBase(b))
            return da == db ? a < b : da < db
        }
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
