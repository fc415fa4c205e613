import OnboardingEngine

/// One experiment as written in a scenario file (SPEC §2.1): the simulated world, the engine settings, the sweep
/// grid and the checks.
///
/// Values come from `ScenarioLoader`, which applies every default and validates every rule, or from code.
/// Equality ignores source locations (`source` here, `location` in personas, flows, sweep axes and checks): two
/// scenarios are equal when they describe the same experiment, wherever they were read from. This is what makes
/// `parse(resolvedYAML())` compare equal to the original.
public struct Scenario: Sendable, Equatable {
    /// The results folder name: lowercase letters, digits and `-` only.
    public var name: String
    public var description: String
    /// The master seed every replicate's random streams derive from.
    public var seed: UInt64
    /// Simulated days `0 ..< horizonDays`; greater than 0.
    public var horizonDays: Int
    /// Replicates per configuration; greater than 0.
    public var replicates: Int
    public var traffic: Traffic
    /// At least one persona, in file order.
    public var personas: [Persona]
    /// How the runtime infers personas; `nil`: always correctly.
    public var personaInference: PersonaInference?
    /// The business objective regret and correctness are measured with (default: the seed's weights).
    public var objective: Objective
    /// The `engine:` and `governance:` blocks (governance is `engine.laws`), read through ``EngineSettings/table``.
    public var engine: EngineSettings
    /// `engine.job_failure_rate`: share of nights whose learning job fails (fault injection), in [0, 1]; a setting
    /// of the simulated world, not of the engine.
    public var jobFailureRate: Double
    /// Sweep axes in file order; empty when the scenario runs a single configuration.
    public var sweep: [SweepAxis]
    /// Values of swept settings that select the configuration the others are compared to; empty means the first.
    public var baseline: [String: SettingValue]
    public var checks: [Check]
    /// Where the scenario was read from (`file:1:1`); `nil` when built in code.
    public var source: SourceLocation?

    public init(
        name: String,
        description: String = "",
        seed: UInt64 = 1,
        horizonDays: Int = 120,
        replicates: Int = 1,
        traffic: Traffic,
        personas: [Persona],
        personaInference: PersonaInference? = nil,
        objective: Objective = Objective(),
        engine: EngineSettings = EngineSettings(),
        jobFailureRate: Double = 0,
        sweep: [SweepAxis] = [],
        baseline: [String: SettingValue] = [:],
        checks: [Check] = [],
        source: SourceLocation? = nil
    ) {
        self.name = name
        self.description = description
        self.seed = seed
        self.horizonDays = horizonDays
        self.replicates = replicates
        self.traffic = traffic
        self.personas = personas
        self.personaInference = personaInference
        self.objective = objective
        self.engine = engine
        self.jobFailureRate = jobFailureRate
        self.sweep = sweep
        self.baseline = baseline
        self.checks = checks
        self.source = source
    }

    /// Equal when every field but `source` is equal (locations are ignored throughout).
    public static func == (lhs: Scenario, rhs: Scenario) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description && lhs.seed == rhs.seed
            && lhs.horizonDays == rhs.horizonDays && lhs.replicates == rhs.replicates && lhs.traffic == rhs.traffic
            && lhs.personas == rhs.personas && lhs.personaInference == rhs.personaInference
            && lhs.objective == rhs.objective && lhs.engine == rhs.engine
            && lhs.jobFailureRate == rhs.jobFailureRate
            && lhs.sweep == rhs.sweep && lhs.baseline == rhs.baseline && lhs.checks == rhs.checks
    }
}
