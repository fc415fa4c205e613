import OnboardingEngine

/// What one synthetic user does when shown one flow: decided by the user's latent uniforms and the flow's truth in
/// force on the signup day. The same uniforms decide the outcome under every flow (common random numbers), so the
/// outcome under a flow the user was not shown (the counterfactual) is this same function of another truth.
public struct UserOutcome: Sendable, Equatable {
    /// Activated within 7 days.
    public var activated: Bool
    public var retained: Bool
    public var upgraded: Bool
    /// Minutes from signup to the activation event; 0 when not activated.
    public var minutesToWin: Minute

    public init(user: SyntheticUser, truth: FlowTruth) {
        activated = user.uActivation < truth.activation7d
        retained = user.uRetention < (activated ? truth.retentionIfActivated : truth.retentionIfNot)
        upgraded = user.uUpgrade < truth.upgrade
        minutesToWin = activated ? Oracle.timeToWin(truth.timeToFirstWin, u: user.uTime) : 0
    }
}
