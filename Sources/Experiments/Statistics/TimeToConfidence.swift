import Stochastics

/// Time to confidence of one configuration × persona: the first day from which the share of replicates whose
/// champion is the true best flow reaches the target and stays at or above it to the horizon.
public struct ConfidenceDay: Sendable, Equatable {
    public var config: String
    public var persona: String
    /// The target share, e.g. 0.95.
    public var target: Double
    /// The first day of the run of days that ends at the horizon and where every daily share ≥ target; nil when
    /// the last day's share is below the target.
    public var day: Int?
    /// The day the estimate describes: `day`, or the last simulated day when the target was never held.
    public var evaluatedDay: Int
    public var replicates: Int
    public var correct: Int
    public var estimate: Double
    /// 95% Wilson interval of the share on `evaluatedDay`.
    public var interval: Interval
}

/// "How many days until the engine reliably picks the best flow?" answered from daily.csv (issue "Decisions").
///
/// The daily share is a point estimate over replicates; its Wilson interval (Wilson 1927) shows how sure that is.
/// The share must hold to the horizon, so a champion that was right early and then lost is not counted as
/// confident.
public enum TimeToConfidence {
    public static let defaultTarget = 0.95

    public static func compute(_ daily: [DailyRow], target: Double = defaultTarget) throws -> [ConfidenceDay] {
        // config → persona → day → (correct, replicates), in first-appearance order.
        var order: [(config: String, persona: String)] = []
        var counts: [String: [String: [Int: (Int, Int)]]] = [:]
        for row in daily {
            let r = row.record
            if counts[row.config]?[r.persona] == nil { order.append((row.config, r.persona)) }
            let current = counts[row.config, default: [:]][r.persona, default: [:]][r.day] ?? (0, 0)
            counts[row.config, default: [:]][r.persona, default: [:]][r.day] =
                (current.0 + (r.championCorrect ? 1 : 0), current.1 + 1)
        }
        return try order.map { key in
            let days = counts[key.config]?[key.persona] ?? [:]
            var first: Int?
            for day in days.keys.sorted(by: >) {
                guard let (k, n) = days[day], n > 0, Double(k) / Double(n) >= target else { break }
                first = day
            }
            let evaluated = first ?? days.keys.max() ?? 0
            let (k, n) = days[evaluated] ?? (0, 0)
            return ConfidenceDay(
                config: key.config, persona: key.persona, target: target, day: first, evaluatedDay: evaluated,
                replicates: n, correct: k, estimate: n > 0 ? Double(k) / Double(n) : 0,
                interval: n > 0 ? try Intervals.wilson(successes: k, trials: n) : Interval(lower: 0, upper: 1))
        }
    }
}
