import OnboardingEngine
import Stochastics

/// One row of the persona × flow performance table: a pattern with Wilson 95% intervals of its rates and its
/// differences from the persona's champion.
public struct PerformanceRow: Sendable, Equatable {
    public var pattern: FlowPattern
    /// Wilson 95% interval of win_rate_7d; nil for a pattern without sample.
    public var winRate7dInterval: Interval?
    /// Wilson 95% interval of win_rate_30d; nil for a pattern without sample.
    public var winRate30dInterval: Interval?
    /// The steps compared with the champion's (nil when the persona has no champion).
    public var differences: FlowDifferences?

    /// Rows for every pattern of `snapshot`, in its order.
    ///
    /// A stored rate is a share of `sample_size` users, so its success count is round(rate × n) (as the
    /// Thompson policy recovers counts); the Wilson score interval of that count is Newcombe's method 3
    /// (*Statistics in Medicine* 17 (1998) 857–872).
    static func rows(_ snapshot: EngineSnapshot) -> [PerformanceRow] {
        snapshot.patterns.map { pattern in
            let champion = snapshot.champion(of: pattern.persona)
            return PerformanceRow(
                pattern: pattern, winRate7dInterval: wilson(pattern.winRate7d, n: pattern.sampleSize),
                winRate30dInterval: wilson(pattern.winRate30d, n: pattern.sampleSize),
                differences: champion.map { FlowDifferences(steps: pattern.steps, champion: $0.steps) })
        }
    }

    /// Wilson 95% interval of a share of `n` users; nil when n < 1 or the rate is not a probability.
    public static func wilson(_ rate: Double, n: Int) -> Interval? {
        guard n >= 1, rate.isFinite, (0...1).contains(rate) else { return nil }
        let successes = min(n, max(0, Int((rate * Double(n)).rounded())))
        return try? Intervals.wilson(successes: successes, trials: n)
    }
}
