import OnboardingEngine

/// The ranges of every number a scenario (and the command line that overrides it) accepts, other than the engine
/// settings (``EngineSettings/table``).
///
/// Wide enough for real use — ten years of days, ten million signups a day, a thousand flows per persona — and
/// narrow enough that no accepted value overflows, allocates without bound or makes a distribution non-finite.
public enum ScenarioLimits {
    /// `horizon_days`, `--horizon`: one day to ten years.
    public static let horizonDays = SettingRange(1...EngineSettings.maxDays)
    /// A day index (`from_day`, `introduced_day`, drift and check days): 0 to ten years.
    public static let day = SettingRange(0...(EngineSettings.maxDays - 1))
    /// `replicates`, `--replicates`.
    public static let replicates = SettingRange(1...100_000)
    /// Expected signups on any day, after `weekly` and `--scale`: at most ten million.
    public static let maxSignupsPerDay = 10_000_000.0
    /// `signups_per_day`, a schedule's `per_day`.
    public static let signupsPerDay = SettingRange(0, maxSignupsPerDay)
    /// A `weekly` multiplier.
    public static let weeklyMultiplier = SettingRange(0, 100)
    /// `--scale`: the factor on every traffic rate (the day's signups must still stay within `maxSignupsPerDay`).
    public static let scale = SettingRange(0, 1_000_000, lowerExclusive: true)
    /// Objective weights.
    public static let weight = SettingRange(0, EngineSettings.maxWeight)
    /// A positive relative weight (persona share, v3 split and deviation weights).
    public static let positiveWeight = SettingRange(0, EngineSettings.maxWeight, lowerExclusive: true)
    /// Minutes (objective horizon, time-to-first-win medians): greater than 0, at most ten years.
    public static let minutes = SettingRange(0, Double(EngineSettings.maxDays * 1440), lowerExclusive: true)
    /// Outcome delays (`median_days`, `max_days`): greater than 0, at most ten years.
    public static let delayDays = SettingRange(0, Double(EngineSettings.maxDays), lowerExclusive: true)
    /// A lognormal sigma: beyond 10 the truncated mean underflows to nothing useful (and at 40 it is NaN).
    public static let sigma = SettingRange(0, 10)
    /// Flows per persona.
    public static let flowsPerPersona = 1...1000
    /// Personas per scenario.
    public static let personas = 1...1000
    /// `--threads`.
    public static let threads = SettingRange(1...1024)
}

extension ScenarioLimits {
    /// The expected signups of the busiest day: the largest rate of the schedule times the largest weekday
    /// multiplier times `scale`.
    public static func peakSignupsPerDay(_ traffic: Traffic, scale: Double = 1) -> Double {
        let rate = traffic.schedule.map(\.perDay).max() ?? 0
        let weekday = traffic.weekly?.max() ?? 1
        return rate * weekday * scale
    }

    /// Why `traffic` at `scale` expects too many signups on its busiest day, or `nil`.
    public static func trafficProblem(_ traffic: Traffic, scale: Double = 1) -> String? {
        let peak = peakSignupsPerDay(traffic, scale: scale)
        guard !(peak <= maxSignupsPerDay) else { return nil }
        let scaled = scale == 1 ? "" : " at scale \(scale)"
        return "the busiest day expects \(peak) signups\(scaled); at most \(Int(maxSignupsPerDay)) a day are simulated"
    }
}
