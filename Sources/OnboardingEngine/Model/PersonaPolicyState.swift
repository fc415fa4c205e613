/// A flow the `ab-test` policy can split users over: steps and the variant to present them with (nil: the v3
/// default's variant for the same steps, else the first v3 default variant).
public struct PolicyArm: Sendable, Equatable, Codable {
    public var steps: [String]
    public var variant: String?

    public init(steps: [String], variant: String?) {
        self.steps = steps
        self.variant = variant
    }
}

/// What the engine remembers of a persona for its policies, beside patterns and configuration: the candidate flows
/// registered (in registration order, whatever the policy) and the `ab-test` policy's test.
///
/// Stored per persona (SQLite: `engine_settings` row `policy_state.<persona>`, JSON), so a database restarts with
/// the test where it was and a concluded test stays concluded.
public struct PersonaPolicyState: Sendable, Equatable, Codable {
    public var persona: String
    /// Flows registered with ``V4Engine/registerCandidateFlow(persona:steps:variant:at:)``, first registration first.
    public var candidates: [PolicyArm]
    /// Start of the UTC day of the persona's first assignment under `ab-test`; nil until then.
    public var abTestStartedAt: Minute?
    /// The arm the test fixed for good; nil while the test runs.
    public var abTestWinner: PolicyArm?
    /// When the nightly job fixed ``abTestWinner``.
    public var abTestConcludedAt: Minute?

    public init(
        persona: String, candidates: [PolicyArm] = [], abTestStartedAt: Minute? = nil, abTestWinner: PolicyArm? = nil,
        abTestConcludedAt: Minute? = nil
    ) {
        self.persona = persona
        self.candidates = candidates
        self.abTestStartedAt = abTestStartedAt
        self.abTestWinner = abTestWinner
        self.abTestConcludedAt = abTestConcludedAt
    }

    /// The A/B test's arms: the v3 default flows (in their listed order), then the candidates (registration
    /// order); a flow listed twice counts once (its first listing).
    public static func arms(v3Default: [V3Option], candidates: [PolicyArm]) -> [PolicyArm] {
        var seen = Set<[String]>()
        var arms: [PolicyArm] = []
        for arm in v3Default.map({ PolicyArm(steps: $0.steps, variant: $0.variant) }) + candidates
        where seen.insert(arm.steps).inserted {
            arms.append(arm)
        }
        return arms
    }
}
