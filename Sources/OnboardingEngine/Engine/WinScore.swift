/// The win score of SPEC §1.3.
///
/// `win_score = w7·win_rate_7d + w30·win_rate_30d + wspeed·speed_bonus`, with
/// `speed_bonus = 1 − min(avg_minutes / H, 1)` (0 when avg is nil). The SQLite trigger evaluates the same
/// expression in the same order, so both stores produce identical doubles.
public enum WinScore {
    @inlinable
    public static func speedBonus(avgMinutes: Double?, horizon: Double) -> Double {
        guard let avg = avgMinutes else { return 0 }
        return 1.0 - min(avg / horizon, 1.0)
    }

    @inlinable
    public static func score(
        winRate7d: Double, winRate30d: Double, avgMinutes: Double?, weights: WinScoreWeights, horizon: Double
    ) -> Double {
        weights.activation7d * winRate7d + weights.retention30d * winRate30d
            + weights.speed * speedBonus(avgMinutes: avgMinutes, horizon: horizon)
    }

    public static func score(_ stats: FlowStats, settings: EngineSettings) -> Double {
        score(
            winRate7d: stats.winRate7d, winRate30d: stats.winRate30d, avgMinutes: stats.avgTimeToFirstWinMinutes,
            weights: settings.weights, horizon: settings.speedHorizonMinutes)
    }
}
