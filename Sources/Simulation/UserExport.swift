import OnboardingEngine

/// One simulated user as a reviewer sees it (`run --export-users`): who the user was, what the engine did, the
/// latent draws, the user's own probabilities and outcomes under the flow shown, and the counterfactual outcome
/// under every flow of the user's (true) persona — the same uniforms applied to another flow's truth of that day.
public struct ExportedUser: Sendable, Equatable {
    public var user: SyntheticUser
    public var signupDay: Int
    /// Indices into the world's personas: the true persona and the one the runtime inferred.
    public var persona: Int
    public var inferredPersona: Int
    /// The flow of the true persona the user was shown (after the v3 deviation, if any).
    public var flow: Int
    public var deviated: Bool
    public var mode: AssignmentMode
    /// The user's own probabilities under the flow shown; the upgrade probability given the realised activation
    /// and retention (conditional upgrade).
    public var rates: UserRates
    public var upgradeProbability: Double
    public var outcome: UserOutcome
    /// The outcome under every flow of the true persona, in declaration order (the shown flow's equals `outcome`).
    public var counterfactual: [UserOutcome]
}
