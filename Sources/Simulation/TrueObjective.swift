import OnboardingEngine

/// The business objective the oracle scores flows with (SPEC §2.4): the win-score formula with the objective's
/// weights and speed horizon. It belongs to the world, not to the engine: every configuration of a sweep is measured
/// with the same objective, whatever weights its engine learns with.
public struct TrueObjective: Sendable, Equatable {
    public var weights: WinScoreWeights
    /// H of the speed bonus, in minutes (> 0).
    public var speedHorizonMinutes: Double

    /// The seed's yardstick: 0.5 / 0.3 / 0.2 and 1440 minutes.
    public init(weights: WinScoreWeights = WinScoreWeights(), speedHorizonMinutes: Double = 1440) {
        self.weights = weights
        self.speedHorizonMinutes = speedHorizonMinutes
    }
}
