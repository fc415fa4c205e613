import OnboardingEngine
import Stochastics

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
        let rates = UserRates(user: user, truth: truth)
        activated = user.uActivation < rates.activation7d
        retained = user.uRetention < (activated ? rates.retentionIfActivated : rates.retentionIfNot)
        upgraded = user.uUpgrade < truth.upgrade
        minutesToWin = activated ? Oracle.timeToWin(truth.timeToFirstWin, u: user.uTime) : 0
    }
}

/// A user's own probabilities under one flow: the flow's rates, or — when users vary (``FlowTruth``'s
/// concentrations) — the Beta quantiles at the user's latent uniforms, which are the same under every flow.
public struct UserRates: Sendable, Equatable {
    public var activation7d: Double
    public var retentionIfActivated: Double
    public var retentionIfNot: Double

    public init(user: SyntheticUser, truth: FlowTruth) {
        activation7d =
            truth.activationConcentration.map {
                Distributions.betaRate(mean: truth.activation7d, concentration: $0, u: user.hActivation)
            } ?? truth.activation7d
        if let c = truth.retentionConcentration {
            retentionIfActivated = Distributions.betaRate(
                mean: truth.retentionIfActivated, concentration: c, u: user.hRetention)
            retentionIfNot = Distributions.betaRate(mean: truth.retentionIfNot, concentration: c, u: user.hRetention)
        } else {
            retentionIfActivated = truth.retentionIfActivated
            retentionIfNot = truth.retentionIfNot
        }
    }
}
