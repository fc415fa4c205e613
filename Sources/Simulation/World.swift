import Foundation
import OnboardingEngine
import Stochastics

/// The synthetic world a replicate runs in: traffic, personas and the true behaviour of every flow.
///
/// It is the simulator's own model (the `Scenarios` module is not imported here); `Experiments` builds it from
/// a scenario file.
public struct World: Sendable, Equatable {
    public var horizonDays: Int
    public var traffic: TrafficModel
    public var personas: [PersonaModel]
    /// What the oracle scores flows with (true score, true best flow, regret).
    public var objective: TrueObjective
    /// How the runtime infers personas; nil: always correctly.
    public var inference: InferenceModel?

    public init(
        horizonDays: Int, traffic: TrafficModel, personas: [PersonaModel], objective: TrueObjective = TrueObjective(),
        inference: InferenceModel? = nil
    ) {
        self.horizonDays = horizonDays
        self.traffic = traffic
        self.personas = personas
        self.objective = objective
        self.inference = inference
    }

    /// Whether any flow's rates vary between users (``FlowTruth/activationConcentration``).
    public var hasSpread: Bool {
        personas.contains {
            $0.flows.contains { $0.truth.activationConcentration != nil || $0.truth.retentionConcentration != nil }
        }
    }
}

/// The runtime's persona inference: confusion matrices by period (persona indices).
public struct InferenceModel: Sendable, Equatable {
    /// Per period from `fromDay` (the first from day 0): per true persona the weights of the inferred personas, or
    /// nil when it is always inferred correctly.
    public var periods: [(fromDay: Int, rows: [[Double]?])]

    public init(periods: [(fromDay: Int, rows: [[Double]?])]) {
        self.periods = periods
    }

    /// The weights of the personas a user of true persona `persona` is inferred as on `day`; nil when always
    /// inferred correctly.
    public func weights(persona: Int, day: Int) -> [Double]? {
        (periods.last(where: { $0.fromDay <= day }) ?? periods.first)?.rows[persona]
    }

    /// The persona a user of true persona `persona` is inferred as on `day`, from the user's uniform `u`.
    public func inferred(persona: Int, day: Int, u: Double) -> Int {
        guard let weights = weights(persona: persona, day: day) else { return persona }
        return WeightedChoice.index(weights, u: u) ?? persona
    }

    public static func == (a: InferenceModel, b: InferenceModel) -> Bool {
        a.periods.map(\.fromDay) == b.periods.map(\.fromDay) && a.periods.map(\.rows) == b.periods.map(\.rows)
    }
}

public struct TrafficModel: Sendable, Equatable {
    /// (first day, signups per day), sorted by day; the first period starts at day 0.
    public var schedule: [(fromDay: Int, perDay: Double)]
    public var poisson: Bool
    /// Seven weekday multipliers (day 0 is the first entry), or nil.
    public var weekly: [Double]?
    /// Multiplies every rate (`run --scale`).
    public var scale: Double
    /// Growth per month of 30 days, > −1: day `d`'s rate is multiplied by `(1 + g)^(d/30)`; 0 = none.
    public var growthPerMonth: Double

    public init(
        schedule: [(fromDay: Int, perDay: Double)], poisson: Bool, weekly: [Double]? = nil, scale: Double = 1,
        growthPerMonth: Double = 0
    ) {
        self.schedule = schedule
        self.poisson = poisson
        self.weekly = weekly
        self.scale = scale
        self.growthPerMonth = growthPerMonth
    }

    /// The expected signups of `day`: schedule × weekday multiplier × scale × growth.
    public func rate(day: Int) -> Double {
        let base = schedule.last(where: { $0.fromDay <= day })?.perDay ?? 0
        let weekday = weekly.map { $0[((day % 7) + 7) % 7] } ?? 1
        let growth = growthPerMonth == 0 ? 1 : pow(1 + growthPerMonth, Double(day) / 30)
        return base * weekday * scale * growth
    }

    public static func == (a: TrafficModel, b: TrafficModel) -> Bool {
        a.schedule.map(\.fromDay) == b.schedule.map(\.fromDay) && a.schedule.map(\.perDay) == b.schedule.map(\.perDay)
            && a.poisson == b.poisson && a.weekly == b.weekly && a.scale == b.scale
            && a.growthPerMonth == b.growthPerMonth
    }
}

public struct PersonaModel: Sendable, Equatable {
    public var id: String
    public var share: Double
    public var activationEvent: String
    /// The v3 default split: (flow index, variant, weight).
    public var v3Default: [(flow: Int, variant: String, weight: Double)]
    public var flows: [FlowModel]
    public var deviation: DeviationModel?
    public var drift: [DriftModel]
    /// Ramps, sines and decays of truth values (see ``TrendModel``).
    public var trends: [TrendModel]

    public init(
        id: String, share: Double, activationEvent: String, v3Default: [(flow: Int, variant: String, weight: Double)],
        flows: [FlowModel], deviation: DeviationModel? = nil, drift: [DriftModel] = [], trends: [TrendModel] = []
    ) {
        self.id = id
        self.share = share
        self.activationEvent = activationEvent
        self.v3Default = v3Default
        self.flows = flows
        self.deviation = deviation
        self.drift = drift
        self.trends = trends
    }

    public static func == (a: PersonaModel, b: PersonaModel) -> Bool {
        a.id == b.id && a.share == b.share && a.activationEvent == b.activationEvent
            && a.v3Default.map(\.flow) == b.v3Default.map(\.flow)
            && a.v3Default.map(\.variant) == b.v3Default.map(\.variant)
            && a.v3Default.map(\.weight) == b.v3Default.map(\.weight) && a.flows == b.flows
            && a.deviation == b.deviation
            && a.drift == b.drift && a.trends == b.trends
    }

    /// The engine's view: activation event and v3 default options.
    public var engineConfig: PersonaConfig {
        PersonaConfig(
            persona: id, activationEvent: activationEvent,
            v3Default: v3Default.map { V3Option(steps: flows[$0.flow].steps, variant: $0.variant, weight: $0.weight) })
    }

    /// The index of the flow presenting exactly `steps`, if declared.
    public func flowIndex(steps: [String]) -> Int? { flows.firstIndex { $0.steps == steps } }
}

public struct FlowModel: Sendable, Equatable {
    public var id: String
    public var steps: [String]
    public var candidate: Bool
    public var introducedDay: Int
    public var truth: FlowTruth

    public init(id: String, steps: [String], candidate: Bool = false, introducedDay: Int = 0, truth: FlowTruth) {
        self.id = id
        self.steps = steps
        self.candidate = candidate
        self.introducedDay = introducedDay
        self.truth = truth
    }
}

/// A flow's true rates. Retention is conditional on activation (a flat rate has both parts equal).
public struct FlowTruth: Sendable, Equatable {
    public var activation7d: Double
    public var retentionIfActivated: Double
    public var retentionIfNot: Double
    public var upgrade: Upgrade
    public var timeToFirstWin: TimeToWin
    /// Beta concentrations of users' own activation and retention rates around these means (nil: every user has
    /// the mean). A user's rate is the Beta quantile at the user's latent uniform for that rate, the same under
    /// every flow.
    public var activationConcentration: Double?
    public var retentionConcentration: Double?
    /// When retention and upgrade are recorded; nil: exactly 30 days after signup.
    public var retentionDelay: OutcomeDelay?
    public var upgradeDelay: OutcomeDelay?
    /// The flow's step funnel, or nil (no funnel: today's step rule, activation not gated). With a funnel,
    /// `activation7d` is the activation rate among users who complete the steps activation requires.
    public var funnel: Funnel?

    public init(
        activation7d: Double, retentionIfActivated: Double, retentionIfNot: Double, upgrade: Upgrade,
        timeToFirstWin: TimeToWin, activationConcentration: Double? = nil, retentionConcentration: Double? = nil,
        funnel: Funnel? = nil, retentionDelay: OutcomeDelay? = nil, upgradeDelay: OutcomeDelay? = nil
    ) {
        self.activation7d = activation7d
        self.retentionIfActivated = retentionIfActivated
        self.retentionIfNot = retentionIfNot
        self.upgrade = upgrade
        self.timeToFirstWin = timeToFirstWin
        self.activationConcentration = activationConcentration
        self.retentionConcentration = retentionConcentration
        self.funnel = funnel
        self.retentionDelay = retentionDelay
        self.upgradeDelay = upgradeDelay
    }

    /// Marginal P(activated within 7 days): `activation7d`, times the funnel's reach of the activation step.
    public var activation: Double { funnel.map { $0.activationReach * activation7d } ?? activation7d }

    /// Marginal P(retained at day 30).
    public var retention30d: Double { activation * retentionIfActivated + (1 - activation) * retentionIfNot }

    /// Marginal P(upgrade).
    public var upgradeRate: Double { upgrade.marginal(activation: activation, retention: retention30d) }
}

/// The distribution of minutes from signup to first win, conditional on activating; truncated at 7 days.
public enum TimeToWin: Sendable, Equatable {
    case lognormal(medianMinutes: Double, sigma: Double)
    case exponential(medianMinutes: Double)
    case fixed(minutes: Double)
}

/// The v3 runtime's rewrite of the presented sequence: a user shown one of `from` is shown a target instead with
/// probability `rate`.
public struct DeviationModel: Sendable, Equatable {
    public var rate: Double
    public var from: [Int]
    public var to: [(flow: Int, weight: Double)]

    public init(rate: Double, from: [Int], to: [(flow: Int, weight: Double)]) {
        self.rate = rate
        self.from = from
        self.to = to
    }

    public static func == (a: DeviationModel, b: DeviationModel) -> Bool {
        a.rate == b.rate && a.from == b.from && a.to.map(\.flow) == b.to.map(\.flow)
            && a.to.map(\.weight) == b.to.map(\.weight)
    }
}

/// A change of one flow's truth from `day` on (fields left nil keep their value).
public struct DriftModel: Sendable, Equatable {
    public var day: Int
    public var flow: Int
    public var activation7d: Double?
    public var retentionIfActivated: Double?
    public var retentionIfNot: Double?
    public var upgrade: Upgrade?
    public var timeToFirstWin: TimeToWin?

    public init(
        day: Int, flow: Int, activation7d: Double? = nil, retentionIfActivated: Double? = nil,
        retentionIfNot: Double? = nil,
        upgrade: Upgrade? = nil, timeToFirstWin: TimeToWin? = nil
    ) {
        self.day = day
        self.flow = flow
        self.activation7d = activation7d
        self.retentionIfActivated = retentionIfActivated
        self.retentionIfNot = retentionIfNot
        self.upgrade = upgrade
        self.timeToFirstWin = timeToFirstWin
    }

    func apply(to truth: FlowTruth) -> FlowTruth {
        var t = truth
        if let v = activation7d { t.activation7d = v }
        if let v = retentionIfActivated { t.retentionIfActivated = v }
        if let v = retentionIfNot { t.retentionIfNot = v }
        if let v = upgrade { t.upgrade = v }
        if let v = timeToFirstWin { t.timeToFirstWin = v }
        return t
    }
}
