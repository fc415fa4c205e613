import Scenarios
import Stochastics

/// The verdict on one `checks:` entry (SPEC §3).
public struct CheckResult: Sendable, Equatable {
    public var persona: String
    public var day: Int
    public var replicates: Int
    public var correct: Int
    public var estimate: Double
    /// Wilson 95% lower bound of P(champion = true best on `day`).
    public var lowerBound: Double
    public var required: Double
    public var passed: Bool { lowerBound >= required }
}

/// Evaluates a scenario's checks on the daily rows of one configuration: P(champion = true best on day D) over
/// replicates, passing when the Wilson 95% lower bound (Wilson 1927) is at least `min_probability`.
public enum CheckEvaluator {
    public static func evaluate(_ checks: [Check], daily: [DailyRow]) throws -> [CheckResult] {
        try checks.map { check in
            let rows = daily.filter { $0.persona == check.persona && $0.day == check.championIsTrueBestByDay }
            let k = rows.filter(\.championCorrect).count
            guard !rows.isEmpty else {
                throw StatisticsError(
                    "check on \(check.persona) day \(check.championIsTrueBestByDay): no simulated day \(check.championIsTrueBestByDay) (is the horizon shorter?)"
                )
            }
            let interval = try Intervals.wilson(successes: k, trials: rows.count)
            return CheckResult(
                persona: check.persona, day: check.championIsTrueBestByDay, replicates: rows.count, correct: k,
                estimate: Double(k) / Double(rows.count), lowerBound: interval.lower, required: check.minProbability)
        }
    }
}
