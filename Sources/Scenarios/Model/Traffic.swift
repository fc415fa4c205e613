/// How many users sign up, and when.
///
/// In a file, `signups_per_day: N` is the schedule `[TrafficPeriod(fromDay: 0, perDay: N)]`; a schedule is written
/// either as `schedule: [{from_day: 0, per_day: 100}, …]` or as that list under `signups_per_day`.
public struct Traffic: Sendable, Equatable {
    /// Starts at day 0; `fromDay` strictly increasing; each period lasts until the next one starts.
    public var schedule: [TrafficPeriod]
    public var arrivals: Arrivals
    /// Seven non-negative weekday multipliers, day 0 first, at least one greater than 0; `nil` = no weekly pattern.
    public var weekly: [Double]?

    public init(schedule: [TrafficPeriod], arrivals: Arrivals = .poisson, weekly: [Double]? = nil) {
        self.schedule = schedule
        self.arrivals = arrivals
        self.weekly = weekly
    }

    /// A constant rate from day 0.
    public init(signupsPerDay: Double, arrivals: Arrivals = .poisson, weekly: [Double]? = nil) {
        self.init(schedule: [TrafficPeriod(fromDay: 0, perDay: signupsPerDay)], arrivals: arrivals, weekly: weekly)
    }

    /// The expected signups per day on `day` before the weekly multiplier: the rate of the last period started.
    public func perDay(onDay day: Int) -> Double {
        schedule.last { $0.fromDay <= day }?.perDay ?? 0
    }
}

/// A signup rate that applies from `fromDay` (≥ 0) until the next period; `perDay` ≥ 0.
public struct TrafficPeriod: Sendable, Equatable {
    public var fromDay: Int
    public var perDay: Double

    public init(fromDay: Int, perDay: Double) {
        self.fromDay = fromDay
        self.perDay = perDay
    }
}

/// How a day's signups arrive: a Poisson count around the rate (default) or exactly the rounded rate.
public enum Arrivals: String, Sendable, Equatable, CaseIterable {
    case poisson
    case constant
}
