import OnboardingEngine
import Stochastics

/// What `onboarding-lab calibrate` estimated from an engine database: traffic, personas, flows with their truths
/// and uncertainty, the deviation, and the engine and governance settings as stored. ``yaml(name:seed:draw:)``
/// writes it as a scenario file with every interval and sample in a comment.
public struct CalibratedScenario: Sendable {
    /// The database read.
    public var source: String
    /// The calibration period `since ..< until` (engine-clock minutes, whole days) and what the database knows up
    /// to (the latest recorded minute; maturity is judged against it).
    public var since: Minute
    public var until: Minute
    public var asOf: Minute
    public var minSample: Int
    public var users: Int
    public var traffic: TrafficEstimate
    public var personas: [CalibratedPersona]
    public var settings: EngineSettings
    /// Failed learning jobs out of all jobs (the scenario's `engine.job_failure_rate`).
    public var jobFailures: Proportion
    /// What could not be estimated, or was left out, one line each (written in the header).
    public var gaps: [String]
    /// Observations worth knowing (trend, overdispersion), one line each.
    public var notes: [String]

    public var days: Int { (until - since) / Clock.minutesPerDay }
}

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

/// One part of a persona's v3 default (from its configuration in `engine_settings`).
public struct CalibratedSplit: Sendable, Equatable {
    public var flow: String
    public var variant: String
    public var weight: Double
}

/// One presented step sequence and its estimated truth.
public struct CalibratedFlow: Sendable {
    public var id: String
    public var steps: [String]
    /// Users presented this sequence in the period (mature or not).
    public var users: Int
    public var candidate: Bool
    public var introducedDay: Int
    /// 7-day activation among users older than 7 days.
    public var activation: Proportion
    /// 30-day retention among users older than 30 days.
    public var retention: Proportion
    /// Retention of the activated and the other mature users, when both groups reach `--min-sample`.
    public var conditionalRetention: (ifActivated: Proportion, ifNot: Proportion)?
    /// Upgrades among users older than 30 days.
    public var upgrade: Proportion
    /// The fitted time to first win; nil with fewer than two activated users' times.
    public var timeToWin: TimeToWinFit?
}

/// The v3 runtime's rewrites: users assigned one of `from` who were presented one of `to` instead.
public struct CalibratedDeviation: Sendable {
    /// Rewritten users out of the users assigned a `from` flow.
    public var rate: Proportion
    public var from: [String]
    /// Target flow ids with the number of rewritten users presented each (the weights).
    public var to: [(flow: String, users: Int)]
}

/// The truth values written for one flow: the point estimates, or one draw from the posteriors.
struct TruthValues {
    var activation: Double
    var retention: Double
    var conditionalRetention: (ifActivated: Double, ifNot: Double)?
    var upgrade: Double
    /// (family, median, σ); nil when not estimated.
    var timeToWin: (family: TimeToWinFit.Family, median: Double, sigma: Double)?
}

extension CalibratedFlow {
    /// The point estimates.
    var pointTruth: TruthValues {
        TruthValues(
            activation: activation.point, retention: retention.point,
            conditionalRetention: conditionalRetention.map { ($0.ifActivated.point, $0.ifNot.point) },
            upgrade: upgrade.point,
            timeToWin: timeToWin.map { ($0.family, $0.medianMinutes, $0.sigma) })
    }

    /// One draw: Beta posteriors for the probabilities, the fit's asymptotic normal for the time to first win.
    func drawTruth(_ random: RandomStream) -> TruthValues {
        let conditional = conditionalRetention.map { ($0.ifActivated.draw(random), $0.ifNot.draw(random)) }
        return TruthValues(
            activation: activation.draw(random), retention: retention.draw(random),
            conditionalRetention: conditional, upgrade: upgrade.draw(random),
            timeToWin: timeToWin.map { fit in
                let d = fit.draw(random)
                return (fit.family, d.median, d.sigma)
            })
    }
}
