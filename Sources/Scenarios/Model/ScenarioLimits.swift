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
    /// Outcome delays (`median_days`, `max_days`): one day to ten years (below a day, a delay truncated at
    /// `max_days` could round to no delay at all: the outcome recorded at signup).
    public static let delayDays = SettingRange(1, Double(EngineSettings.maxDays))
    /// A lognormal sigma: beyond 10 the truncated mean underflows to nothing useful (and at 40 it is NaN).
    public static let sigma = SettingRange(0, 10)
    /// A Beta concentration of users' own rates (``RateSpread``); `.inf` (no spread) is accepted besides.
    public static let concentration = SettingRange(0, 1e9, lowerExclusive: true)
    /// Flows per persona.
    public static let flowsPerPersona = 1...1000
    /// Personas per scenario.
    public static let personas = 1...1000
    /// `traffic.growth_per_month`: from a loss of almost everything to elevenfold a month.
    public static let growthPerMonth = SettingRange(-1, 10, lowerExclusive: true)
    /// A sine's `period_days`: from one day to ten years.
    public static let periodDays = SettingRange(1, Double(EngineSettings.maxDays))
    /// A decay's `half_life_days`: greater than 0, at most ten years.
    public static let halfLifeDays = SettingRange(0, Double(EngineSettings.maxDays), lowerExclusive: true)
    /// A sine's `phase_days`: 0 to ten years.
    public static let phaseDays = SettingRange(0, Double(EngineSettings.maxDays))
    /// A decay's lift on a probability: the magnitude is at most 1.
    public static let probabilityOffset = SettingRange(-1, 1)
    /// A trend's offset of a median in minutes (decay lift): the magnitude is at most ten years.
    public static let minutesOffset = SettingRange(-minutes.upper, minutes.upper)
    /// A sine's amplitude on a probability: 0 to 1.
    public static let probabilityAmplitude = SettingRange(0, 1)
    /// A sine's amplitude on a median in minutes: 0 to ten years.
    public static let minutesAmplitude = SettingRange(0, minutes.upper)
    /// `--threads`.
    public static let threads = SettingRange(1...1024)
}

extension ScenarioLimits {
    /// The expected signups of the busiest day (a bound): the largest rate of the schedule times the largest
    /// weekday multiplier times `scale`, grown to the last day of a `horizonDays` horizon when traffic grows.
    public static func peakSignupsPerDay(_ traffic: Traffic, horizonDays: Int, scale: Double = 1) -> Double {
        let rate = traffic.schedule.map(\.perDay).max() ?? 0
        let weekday = traffic.weekly?.max() ?? 1
        let growth = max(1, traffic.growthFactor(onDay: horizonDays - 1))
        return rate * weekday * scale * growth
    }

    /// Why `traffic` at `scale` expects too many signups on its busiest day of `horizonDays`, or `nil`.
    public static func trafficProblem(_ traffic: Traffic, horizonDays: Int, scale: Double = 1) -> String? {
        let peak = peakSignupsPerDay(traffic, horizonDays: horizonDays, scale: scale)
        guard !(peak <= maxSignupsPerDay) else { return nil }
        let scaled = scale == 1 ? "" : " at scale \(scale)"
        let grown = traffic.growthPerMonth == 0 ? "" : " (growing to day \(horizonDays - 1))"
        return
            "the busiest day expects \(peak) signups\(scaled)\(grown); at most \(Int(maxSignupsPerDay)) a day are simulated"
    }
}
