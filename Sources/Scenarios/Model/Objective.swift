/// The business objective (SPEC §2.4): the yardstick every configuration of a sweep is measured with — true win
/// score, true best flow, regret, champion correctness and the checks. It is not an engine setting: the engine
/// learns with `engine.weights`, which a sweep may vary, while the objective stays fixed (so it cannot be swept).
///
/// YAML: `objective: {activation_7d: 0.5, retention_30d: 0.3, speed: 0.2, speed_horizon_minutes: 1440}`; the
/// defaults are the seed's weights and horizon, whatever `engine.weights` says. Weights ≥ 0, not all zero; the
/// horizon > 0 minutes.
public struct Objective: Sendable, Equatable {
    public var activation7d: Double
    public var retention30d: Double
    public var speed: Double
    public var speedHorizonMinutes: Double

    /// The YAML keys, in the order of the resolved scenario.
    public static let keys = ["activation_7d", "retention_30d", "speed", "speed_horizon_minutes"]

    public init(
        activation7d: Double = 0.5, retention30d: Double = 0.3, speed: Double = 0.2, speedHorizonMinutes: Double = 1440
    ) {
        self.activation7d = activation7d
        self.retention30d = retention30d
        self.speed = speed
        self.speedHorizonMinutes = speedHorizonMinutes
    }
}
