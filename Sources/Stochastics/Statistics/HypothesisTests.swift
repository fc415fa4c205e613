/// Two-sided hypothesis tests for comparing lab configurations, built on GSL's distribution functions.
///
/// Conventions shared by every test:
/// - the effect estimate is in the direction x − y (x is the treatment or candidate configuration, y the baseline);
/// - p-values are two-sided, computed from upper tails (`…_Q` functions) so small p-values keep full relative
///   precision, and capped at 1;
/// - results are finite for valid input: where a statistic is mathematically infinite (a non-zero effect with zero
///   spread) it is reported as ±`Double.greatestFiniteMagnitude` with p = 0;
/// - invalid input (empty samples, too few observations, mismatched paired lengths, non-finite values, a level
///   outside (0, 1)) throws ``StatisticsError``; a GSL failure throws ``GSLError``.
///
/// The tests live in `HypothesisTests+TTests.swift` (paired and Welch t), `HypothesisTests+RankTests.swift`
/// (Wilcoxon signed-rank, Mann–Whitney U) and `HypothesisTests+CountTests.swift` (McNemar, chi-square).
public enum HypothesisTests {}

extension HypothesisTests {
    /// `value` if finite, else ±`Double.greatestFiniteMagnitude` with its sign (the limit of a statistic whose
    /// denominator vanished or underflowed).
    static func finiteStatistic(_ value: Double) -> Double {
        if value.isFinite { return value }
        return value < 0 ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude
    }

    /// ±`Double.greatestFiniteMagnitude` with the sign of `value`: the finite stand-in for a statistic that is
    /// infinite because a non-zero effect has zero spread.
    static func unboundedStatistic(signOf value: Double) -> Double {
        value < 0 ? -Double.greatestFiniteMagnitude : Double.greatestFiniteMagnitude
    }

    /// A two-sided p-value from one upper tail: min(1, 2·tail).
    static func twoSided(upperTail: Double) -> Double {
        min(1, 2 * max(upperTail, 0))
    }

    /// `value` rounded to two decimals, for method descriptions.
    static func rounded2(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}
