import OnboardingEngine
import Stochastics

/// What one synthetic user does when shown one flow: decided by the user's latent uniforms and the flow's truth in
/// force on the signup day. The same uniforms decide the outcome under every flow (common random numbers), so the
/// outcome under a flow the user was not shown (the counterfactual) is this same function of another truth.
public struct UserOutcome: Sendable, Equatable {
    /// Activated within 7 days (with a step funnel: only after completing the steps activation requires).
    public var activated: Bool
    public var retained: Bool
    public var upgraded: Bool
    /// Minutes from signup to the activation event; 0 when not activated.
    public var minutesToWin: Minute
    /// With a step funnel, the number of leading steps of the flow the user completes; nil without one (an
    /// activator then completes every step, a non-activator the first half of the steps before the activation).
    public var stepsCompleted: Int? = nil
    /// Completed every step of the flow: the funnel walk reached the end, or (without a funnel) activated.
    public var completedFlow: Bool
    /// Minutes from signup to when retention and upgrade are recorded (30 days without outcome delays).
    public var retentionDelay: Minute
    public var upgradeDelay: Minute

    public init(user: SyntheticUser, truth: FlowTruth) {
        let rates = UserRates(user: user, truth: truth)
        var reached = true
        var walkedThrough: Bool?
        if let funnel = truth.funnel {
            let steps = funnel.stepsCompleted(u: user.uFunnel)
            stepsCompleted = steps
            reached = steps >= funnel.activationDepth
            walkedThrough = steps == funnel.continuation.count
        }
        activated = reached && user.uActivation < rates.activation7d
        retained = user.uRetention < (activated ? rates.retentionIfActivated : rates.retentionIfNot)
        upgraded = user.uUpgrade < truth.upgrade.probability(activated: activated, retained: retained)
        minutesToWin = activated ? Oracle.timeToWin(truth.timeToFirstWin, u: user.uTime) : 0
        completedFlow = walkedThrough ?? activated
        retentionDelay = truth.retentionDelay?.minutes(u: user.uRetentionDelay) ?? OutcomeDelay.day30Minutes
        upgradeDelay = truth.upgradeDelay?.minutes(u: user.uUpgradeDelay) ?? OutcomeDelay.day30Minutes
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
