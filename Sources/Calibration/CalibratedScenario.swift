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
