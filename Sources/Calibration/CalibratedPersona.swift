import OnboardingEngine

/// One persona of the calibrated scenario.
public struct CalibratedPersona: Sendable {
    public var id: String
    /// The persona's signups out of all signups in the period.
    public var share: Proportion
    public var activationEvent: String
    public var v3Default: [CalibratedSplit]
    public var flows: [CalibratedFlow]
    public var deviation: CalibratedDeviation?
    /// Presented sequences with fewer than `--min-sample` users, left out (steps, users).
    public var smallFlows: [(steps: [String], users: Int)]

    public func flow(steps: [String]) -> CalibratedFlow? { flows.first { $0.steps == steps } }
}
