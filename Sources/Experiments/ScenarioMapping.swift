import OnboardingEngine
import Scenarios
import Simulation

/// A flow a scenario registers as a candidate pattern (sample 0) on its introduced day.
public struct CandidateFlow: Sendable, Equatable {
    public var persona: String
    public var steps: [String]
    public var variant: String?
    public var introducedDay: Int
}

/// What `engine init --config` applies to a database: settings, personas and candidate flows.
public struct EngineSetup: Sendable, Equatable {
    public var settings: EngineSettings
    public var personas: [PersonaConfig]
    public var candidates: [CandidateFlow]
}

/// Maps the scenario format onto the engine's and the simulator's own types.
public enum ScenarioMapping {
    /// The engine settings of a scenario's `engine:` and `governance:` blocks.
    public static func engineSettings(from scenario: Scenario) throws -> EngineSettings {
        scenario.engine
    }

    public static func engineSetup(from scenario: Scenario) throws -> EngineSetup {
        var personas: [PersonaConfig] = []
        var candidates: [CandidateFlow] = []
        for p in scenario.personas {
            let options = p.v3Default.compactMap { split in
                p.flow(split.flow).map { V3Option(steps: $0.steps, variant: split.variant, weight: split.weight) }
            }
            personas.append(PersonaConfig(persona: p.id, activationEvent: p.activationEvent, v3Default: options))
            for f in p.flows where f.candidate {
                let variant = p.v3Default.first { $0.flow == f.id }?.variant
                candidates.append(
                    CandidateFlow(persona: p.id, steps: f.steps, variant: variant, introducedDay: f.introducedDay))
            }
        }
        return EngineSetup(settings: try engineSettings(from: scenario), personas: personas, candidates: candidates)
    }

    /// The simulator's world: traffic (times `scale`), personas with their truths, deviation and drift, over
    /// `horizonDays` (the scenario's unless overridden).
    public static func world(from scenario: Scenario, horizonDays: Int? = nil, scale: Double = 1) throws -> World {
        let traffic = TrafficModel(
            schedule: scenario.traffic.schedule.map { ($0.fromDay, $0.perDay) },
            poisson: scenario.traffic.arrivals == .poisson,
            weekly: scenario.traffic.weekly, scale: scale, growthPerMonth: scenario.traffic.growthPerMonth)
        var personas: [PersonaModel] = []
        for p in scenario.personas {
            func index(_ id: String) throws -> Int {
                guard let i = p.flows.firstIndex(where: { $0.id == id }) else {
                    throw EngineError.invalidArgument("persona \(p.id): unknown flow \(id)")
                }
                return i
            }
            let flows = try p.flows.map { f -> FlowModel in
                guard let truth = f.truth else {
                    throw EngineError.invalidArgument("persona \(p.id), flow \(f.id): no truth")
                }
                return FlowModel(
                    id: f.id, steps: f.steps, candidate: f.candidate, introducedDay: f.introducedDay,
                    truth: flowTruth(truth, of: f, in: p))
            }
            let deviation = try p.deviation.map { d in
                DeviationModel(
                    rate: d.rate, from: try d.from.map(index), to: try d.to.map { (try index($0.flow), $0.weight) })
            }
            let drift = try p.drift.map { d -> DriftModel in
                var retention: (Double, Double)?
                switch d.truth.retention30d {
                case .flat(let r): retention = (r, r)
                case .conditional(let a, let n): retention = (a, n)
                case nil: retention = nil
                }
                return DriftModel(
                    day: d.day, flow: try index(d.flow), activation7d: d.truth.activation7d,
                    retentionIfActivated: retention?.0,
                    retentionIfNot: retention?.1, upgrade: d.truth.upgrade.map(upgrade),
                    timeToFirstWin: d.truth.timeToFirstWin.map(timeToWin))
            }
            personas.append(
                PersonaModel(
                    id: p.id, share: p.share, activationEvent: p.activationEvent,
                    v3Default: try p.v3Default.map { (try index($0.flow), $0.variant, $0.weight) }, flows: flows,
                    deviation: deviation, drift: drift,
                    trends: try trendModels(p.trends, flowCount: p.flows.count, flowIndex: index)))
        }
        let o = scenario.objective
        let objective = TrueObjective(
            weights: WinScoreWeights(activation7d: o.activation7d, retention30d: o.retention30d, speed: o.speed),
            speedHorizonMinutes: o.speedHorizonMinutes)
        return World(
            horizonDays: horizonDays ?? scenario.horizonDays, traffic: traffic, personas: personas,
            objective: objective,
            inference: try scenario.personaInference.map { try inferenceModel($0, personas: scenario.personas) })
    }

    /// The confusion matrices by persona index (a persona without a row: nil, always inferred correctly).
    static func inferenceModel(_ inference: PersonaInference, personas: [Persona]) throws -> InferenceModel {
        func index(_ id: String) throws -> Int {
            guard let i = personas.firstIndex(where: { $0.id == id }) else {
                throw EngineError.invalidArgument("persona_inference: unknown persona \(id)")
            }
            return i
        }
        return InferenceModel(
            periods: try inference.periods.map { period in
                var rows = [[Double]?](repeating: nil, count: personas.count)
                for row in period.rows {
                    var weights = [Double](repeating: 0, count: personas.count)
                    for entry in row.inferred { weights[try index(entry.persona)] = entry.share }
                    rows[try index(row.persona)] = weights
                }
                return (period.fromDay, rows)
            })
    }

    /// One simulator trend per flow and truth value: a trend without a flow applies to every flow of the persona,
    /// one on `retention_30d` to both retention parts.
    static func trendModels(_ trends: [Trend], flowCount: Int, flowIndex: (String) throws -> Int) throws
        -> [TrendModel]
    {
        var models: [TrendModel] = []
        for trend in trends {
            let shape: TrendModel.Shape
            switch trend.shape {
            case .ramp(let from, let to, let startDay, let endDay):
                shape = .ramp(from: from, to: to, startDay: startDay, endDay: endDay)
            case .sine(let amplitude, let periodDays, let phaseDays):
                shape = .sine(amplitude: amplitude, periodDays: periodDays, phaseDays: phaseDays)
            case .decay(let lift, let halfLifeDays):
                shape = .decay(lift: lift, halfLifeDays: halfLifeDays)
            }
            let fields: [TrendModel.Field]
            switch trend.field {
            case .activation7d: fields = [.activation7d]
            case .retention30d: fields = [.retentionIfActivated, .retentionIfNot]
            case .retentionIfActivated: fields = [.retentionIfActivated]
            case .retentionIfNot: fields = [.retentionIfNot]
            case .upgrade: fields = [.upgrade]
            case .timeToFirstWinMedian: fields = [.timeToFirstWinMedian]
            }
            let flows = try trend.flow.map { [try flowIndex($0)] } ?? Array(0..<flowCount)
            for flow in flows {
                for field in fields { models.append(TrendModel(flow: flow, field: field, shape: shape)) }
            }
        }
        return models
    }

    /// The simulator's truth of `flow` of `persona`: its rates, the step funnel of its steps and the persona's
    /// outcome delays.
    static func flowTruth(_ t: Truth, of flow: Flow, in persona: Persona) -> FlowTruth {
        let (ia, inot): (Double, Double)
        switch t.retention30d {
        case .flat(let r): (ia, inot) = (r, r)
        case .conditional(let a, let n): (ia, inot) = (a, n)
        }
        return FlowTruth(
            activation7d: t.activation7d, retentionIfActivated: ia, retentionIfNot: inot, upgrade: upgrade(t.upgrade),
            timeToFirstWin: timeToWin(t.timeToFirstWin), activationConcentration: t.spread.activation,
            retentionConcentration: t.spread.retention,
            funnel: persona.funnel(of: flow).map {
                Funnel(steps: flow.steps, activationEvent: persona.activationEvent, continuation: $0)
            },
            retentionDelay: persona.outcomeDelays?.retention.map(outcomeDelay),
            upgradeDelay: persona.outcomeDelays?.upgrade.map(outcomeDelay))
    }

    static func upgrade(_ u: Scenarios.Upgrade) -> Simulation.Upgrade {
        switch u {
        case .flat(let p): return .flat(p)
        case .ifRetained(let yes, let no): return .ifRetained(yes: yes, no: no)
        case .ifActivated(let yes, let no): return .ifActivated(yes: yes, no: no)
        }
    }

    static func outcomeDelay(_ d: Scenarios.OutcomeDelay) -> Simulation.OutcomeDelay {
        let law: Simulation.OutcomeDelay.Law
        switch d.distribution {
        case .fixed: law = .fixed
        case .exponential: law = .exponential
        case .lognormal: law = .lognormal(sigma: d.sigma)
        }
        return Simulation.OutcomeDelay(law: law, medianDays: d.medianDays, maxDays: d.maxDays)
    }

    static func timeToWin(_ t: Scenarios.TimeToWin) -> Simulation.TimeToWin {
        switch t.distribution {
        case .lognormal: return .lognormal(medianMinutes: t.medianMinutes, sigma: t.sigma)
        case .exponential: return .exponential(medianMinutes: t.medianMinutes)
        case .fixed: return .fixed(minutes: t.medianMinutes)
        }
    }

    /// Everything one replicate of one configuration needs.
    public static func simulationConfig(
        from scenario: Scenario, seed: UInt64? = nil, horizonDays: Int? = nil, scale: Double = 1
    ) throws -> SimulationConfig {
        SimulationConfig(
            world: try world(from: scenario, horizonDays: horizonDays, scale: scale),
            settings: try engineSettings(from: scenario),
            jobFailureRate: scenario.jobFailureRate, seed: seed ?? scenario.seed)
    }
}
