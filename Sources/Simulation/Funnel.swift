/// A flow's step funnel: per step, in the flow's order, the probability of completing it given that every step
/// before it was completed (README, "Step funnels").
///
/// A user's walk is decided by one latent uniform `u` (``SyntheticUser/uFunnel``): the user completes the first
/// `k` steps for the largest `k` with `u < c₁·…·c_k`. This has the law of walking the steps in order and stopping at
/// the first failed continuation, and one uniform keeps the walks of one user under different flows coupled
/// (common random numbers). Activation additionally requires completing the first ``activationDepth`` steps.
public struct Funnel: Sendable, Equatable {
    /// One continuation probability per step of the flow, each in [0, 1].
    public var continuation: [Double]
    /// The leading steps a user must complete before activating: through the activation step when the persona's
    /// activation event is one of the flow's steps, otherwise all of them.
    public var activationDepth: Int

    public init(continuation: [Double], activationDepth: Int) {
        self.continuation = continuation
        self.activationDepth = activationDepth
    }

    /// The funnel of a flow presenting `steps` whose activation event is `activationEvent`, from per-step
    /// continuations (a step without one continues with probability 1).
    public init(steps: [String], activationEvent: String, continuation: [String: Double]) {
        let depth = steps.firstIndex(of: activationEvent).map { $0 + 1 } ?? steps.count
        self.init(continuation: steps.map { continuation[$0] ?? 1 }, activationDepth: depth)
    }

    /// The number of leading steps completed by a user whose funnel uniform is `u` ∈ [0, 1).
    public func stepsCompleted(u: Double) -> Int {
        var reach = 1.0
        for (k, c) in continuation.enumerated() {
            reach *= c
            if !(u < reach) { return k }
        }
        return continuation.count
    }

    /// P(completing the first `steps` steps): the product of their continuations (1 for none).
    public func reach(steps: Int) -> Double {
        continuation.prefix(steps).reduce(1, *)
    }

    /// P(completing the steps activation requires).
    public var activationReach: Double { reach(steps: activationDepth) }
}
