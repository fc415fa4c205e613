import Foundation

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
    /// Growth rate per month (30 days), in (−1, 10]: day `d`'s rate is multiplied by `(1 + g)^(d/30)`; default 0.
    public var growthPerMonth: Double

    public init(
        schedule: [TrafficPeriod], arrivals: Arrivals = .poisson, weekly: [Double]? = nil, growthPerMonth: Double = 0
    ) {
        self.schedule = schedule
        self.arrivals = arrivals
        self.weekly = weekly
        self.growthPerMonth = growthPerMonth
    }

    /// A constant rate from day 0.
    public init(signupsPerDay: Double, arrivals: Arrivals = .poisson, weekly: [Double]? = nil) {
        self.init(schedule: [TrafficPeriod(fromDay: 0, perDay: signupsPerDay)], arrivals: arrivals, weekly: weekly)
    }

    /// Days per month of `growthPerMonth`.
    public static let daysPerMonth = 30.0

    /// The growth multiplier of `day`: `(1 + growthPerMonth)^(day/30)`; exactly 1 without growth.
    public func growthFactor(onDay day: Int) -> Double {
        growthPerMonth == 0 ? 1 : Self.growthFactor(growthPerMonth, day: day)
    }

    /// `(1 + g)^(day/30)`. The simulator's `TrafficModel.rate(day:)` applies the same formula to the expected
    /// signups (it does not import this module); a test checks the two agree.
    public static func growthFactor(_ g: Double, day: Int) -> Double {
        pow(1 + g, Double(day) / daysPerMonth)
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
