/// A user segment: its share of signups, the event that counts as activation, the flows it can be shown, the
/// v3 engine's default for it, and how its world deviates and drifts.
public struct Persona: Sendable, Equatable {
    /// Non-empty; no whitespace and none of `>`, `[`, `]`, `:` (they would break engine flow ids).
    public var id: String
    /// Relative weight among personas (normalized over all personas); greater than 0; default 1.
    public var share: Double
    /// The event that records activation, e.g. `first_lead`; empty only in engine configurations.
    public var activationEvent: String
    /// What the v3 engine shows while there is no champion: one or more weighted flow/variant pairs.
    public var v3Default: [V3Split]
    /// Flows in file order; ids and step sequences are unique within the persona.
    public var flows: [Flow]
    public var deviation: Deviation?
    /// Changes of truth, in file order.
    public var drift: [Drift]
    /// Functional changes of truth (ramps, sines, decays), in file order.
    public var trends: [Trend]
    /// The step funnel of every flow of the persona (a flow's own entries override it), or nil.
    public var funnel: [StepContinuation]?
    /// When retention and upgrade are recorded, or nil (day 30).
    public var outcomeDelays: OutcomeDelays?
    public var location: SourceLocation

    public init(
        id: String,
        share: Double = 1,
        activationEvent: String,
        v3Default: [V3Split],
        flows: [Flow],
        deviation: Deviation? = nil,
        drift: [Drift] = [],
        trends: [Trend] = [],
        funnel: [StepContinuation]? = nil,
        outcomeDelays: OutcomeDelays? = nil,
        location: SourceLocation = .unknown
    ) {
        self.id = id
        self.share = share
        self.activationEvent = activationEvent
        self.v3Default = v3Default
        self.flows = flows
        self.deviation = deviation
        self.drift = drift
        self.trends = trends
        self.funnel = funnel
        self.outcomeDelays = outcomeDelays
        self.location = location
    }

    /// The index of the flow presenting exactly `steps`, if declared.
    public func flowIndex(steps: [String]) -> Int? {
        flows.firstIndex { $0.steps == steps }
    }

    /// The continuation probabilities of `flow`'s steps: the persona's funnel overridden by the flow's; nil when
    /// neither has one.
    public func funnel(of flow: Flow) -> [String: Double]? {
        guard funnel != nil || flow.funnel != nil else { return nil }
        var continuation: [String: Double] = [:]
        for entry in (funnel ?? []) + (flow.funnel ?? []) where flow.steps.contains(entry.step) {
            continuation[entry.step] = entry.probability
        }
        return continuation
    }

    /// The flow with this local id.
    public func flow(_ id: String) -> Flow? {
        flows.first { $0.id == id }
    }

    /// Equal when every field but `location` is equal.
    public static func == (lhs: Persona, rhs: Persona) -> Bool {
        lhs.id == rhs.id && lhs.share == rhs.share && lhs.activationEvent == rhs.activationEvent
            && lhs.v3Default == rhs.v3Default && lhs.flows == rhs.flows && lhs.deviation == rhs.deviation
            && lhs.drift == rhs.drift && lhs.trends == rhs.trends && lhs.funnel == rhs.funnel
            && lhs.outcomeDelays == rhs.outcomeDelays
    }
}

/// One part of the v3 default: users get `flow` presented as `variant` with probability proportional to `weight`.
public struct V3Split: Sendable, Equatable {
    /// A flow id of the same persona.
    public var flow: String
    public var variant: String
    /// Greater than 0; default 1.
    public var weight: Double

    public init(flow: String, variant: String, weight: Double = 1) {
        self.flow = flow
        self.variant = variant
        self.weight = weight
    }
}

/// The v3 runtime rewriting the presented sequence: a user shown one of `from` switches, with probability `rate`,
/// to one of `to` (chosen by weight). This is how flows nobody registered appear as patterns.
public struct Deviation: Sendable, Equatable {
    /// Probability in [0, 1].
    public var rate: Double
    /// Flows whose users may deviate. In a file it defaults to every flow of the persona that is not a target, in
    /// file order; the loader always fills it in. Disjoint from the targets.
    public var from: [String]
    /// At least one target flow of the same persona.
    public var to: [WeightedFlow]

    public init(rate: Double, from: [String], to: [WeightedFlow]) {
        self.rate = rate
        self.from = from
        self.to = to
    }
}

/// A flow chosen with probability proportional to `weight` (greater than 0; default 1).
public struct WeightedFlow: Sendable, Equatable {
    public var flow: String
    public var weight: Double

    public init(flow: String, weight: Double = 1) {
        self.flow = flow
        self.weight = weight
    }
}

/// From the start of `day` on, `flow`'s truth takes the values in `truth` (the other fields keep theirs).
public struct Drift: Sendable, Equatable {
    /// In `0 ..< horizonDays`.
    public var day: Int
    /// A flow id of the same persona.
    public var flow: String
    public var truth: TruthPatch

    public init(day: Int, flow: String, truth: TruthPatch) {
        self.day = day
        self.flow = flow
        self.truth = truth
    }
}
