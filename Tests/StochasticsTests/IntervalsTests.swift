import Stochastics
import Testing

@Suite("Confidence intervals")
struct IntervalsTests {
    // MARK: t interval for a mean

    /// Reference: scipy 1.17.1, `stats.t.interval(level, 6, loc=np.mean(x), scale=stats.sem(x))` with
    /// `x = [2.5, 3.1, 4.7, 1.2, 5.9, 3.3, 2.8]`. Tolerance 1e-9 relative (GSL's and scipy's t quantiles are both
    /// accurate to ~1e-14; the bound is the contract).
    @Test func tMeanMatchesScipy() throws {
        let x = [2.5, 3.1, 4.7, 1.2, 5.9, 3.3, 2.8]
        let estimate = try Intervals.tMean(x)
        #expect(estimate.n == 7)
        expectClose(estimate.mean, 3.357142857142857, rel: 1e-12, "mean")
        expectClose(estimate.standardDeviation, 1.5295501984321436, rel: 1e-12, "sd")
        expectInterval(estimate.interval, 1.942544859283868, 4.7717408550018465, rel: 1e-9, "95% t interval")
        let ninety = try Intervals.tMean(x, level: 0.9)
        expectInterval(ninety.interval, 2.2337599559526202, 4.480525758333094, rel: 1e-9, "90% t interval")
    }

    /// Documented degenerate cases (exact): n = 1 gives [mean, mean] with sd 0; equal values give a zero-width
    /// interval.
    @Test func tMeanDegenerateCases() throws {
        let single = try Intervals.tMean([4.2])
        #expect(
            single == MeanEstimate(n: 1, mean: 4.2, standardDeviation: 0, interval: Interval(lower: 4.2, upper: 4.2)))
        let constant = try Intervals.tMean([3, 3, 3, 3])
        #expect(constant == MeanEstimate(n: 4, mean: 3, standardDeviation: 0, interval: Interval(lower: 3, upper: 3)))
    }

    @Test func tMeanRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try Intervals.tMean([]) }
        #expect(throws: StatisticsError.self) { try Intervals.tMean([1, 2], level: 1) }
        #expect(throws: StatisticsError.self) { try Intervals.tMean([1, 2], level: 0) }
        #expect(throws: StatisticsError.self) { try Intervals.tMean([1, 2], level: .nan) }
        #expect(throws: StatisticsError.self) { try Intervals.tMean([1, .nan]) }
    }

    // MARK: Wilson and Clopper–Pearson

    /// (successes, trials, level, Wilson lower, Wilson upper, Clopper–Pearson lower, Clopper–Pearson upper).
    ///
    /// Wilson: the closed form with z = `scipy.stats.norm.isf((1 - level)/2)`,
    /// centre = (p + z²/2n)/(1 + z²/n), half = z/(1 + z²/n)·sqrt(p(1 − p)/n + z²/4n²).
    /// Clopper–Pearson: `scipy.stats.beta.ppf((1 - level)/2, k, n - k + 1)` and
    /// `scipy.stats.beta.isf((1 - level)/2, k + 1, n - k)`, with 0 and 1 at k = 0 and k = n.
    static let proportionCases: [(Int, Int, Double, Double, Double, Double, Double)] = [
        (81, 263, 0.95, 0.2552885198782742, 0.36620957698280004, 0.25273674558527126, 0.36762192260135135),
        (15, 148, 0.95, 0.0623863995307363, 0.16048724172330803, 0.057844010083448576, 0.161650490349479),
        (0, 20, 0.95, 0.0, 0.16112515805281938, 0.0, 0.1684334709830853),
        (1, 29, 0.95, 0.006113214292762653, 0.17175521879320288, 0.0008726468835799228, 0.1776442954887229),
        (29, 29, 0.95, 0.8830302015002593, 1.0, 0.8805551309304973, 1.0),
        (7, 40, 0.9, 0.09776044308911716, 0.2934192985304306, 0.08513250458598166, 0.3037056670034146),
        (3, 1000, 0.99, 0.0007581012310614666, 0.011793516682924922, 0.00033814452906649344, 0.01093377742040524),
    ]

    /// Tolerance 1e-9 relative (exact where the reference is 0 or 1).
    @Test func wilsonMatchesClosedForm() throws {
        for (k, n, level, lower, upper, _, _) in Self.proportionCases {
            let interval = try Intervals.wilson(successes: k, trials: n, level: level)
            expectInterval(interval, lower, upper, rel: 1e-9, "Wilson \(k)/\(n) at \(level)")
        }
    }

    /// Published check: the illustrative intervals for 81/263, 15/148, 0/20 and 1/29 tabulated in Newcombe, "Two-sided
    /// confidence intervals for the single proportion", *Statistics in Medicine* 17 (1998) 857–872, method 3 (score
    /// interval without continuity correction), printed to 4 decimals; tolerance 0.5e-4 absolute (the table's
    /// rounding).
    @Test func wilsonMatchesNewcombeTable() throws {
        let table: [(Int, Int, Double, Double)] = [
            (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0000, 0.1611), (1, 29, 0.0061, 0.1718),
        ]
        for (k, n, lower, upper) in table {
            let interval = try Intervals.wilson(successes: k, trials: n)
            expectWithin(interval.lower, lower, absolute: 0.5e-4, "Wilson \(k)/\(n) lower")
            expectWithin(interval.upper, upper, absolute: 0.5e-4, "Wilson \(k)/\(n) upper")
        }
    }

    /// Tolerance 1e-9 relative: GSL's `gsl_cdf_beta_Pinv`/`Qinv` (bisection + Newton) against scipy's Boost
    /// `ibeta_inv`; exact where the reference is 0 or 1.
    @Test func clopperPearsonMatchesBetaQuantiles() throws {
        for (k, n, level, _, _, lower, upper) in Self.proportionCases {
            let interval = try Intervals.clopperPearson(successes: k, trials: n, level: level)
            expectInterval(interval, lower, upper, rel: 1e-9, "Clopper–Pearson \(k)/\(n) at \(level)")
        }
    }

    /// A shape where GSL's `gsl_cdf_beta_Qinv(0.025, 3, 258)` fails (NaN, GSL 2.7): the bisection fallback.
    /// Reference: scipy 1.17.1, `stats.beta.isf(0.025, 3, 258)` and `stats.beta.ppf(0.025, 258, 3)`; tolerance
    /// 1e-9 relative (the bisection stops at a 1e-15 bracket).
    @Test func clopperPearsonSurvivesGSLInverseFailures() throws {
        let few = try Intervals.clopperPearson(successes: 2, trials: 260)
        expectClose(few.upper, 0.027509464774955895, rel: 1e-9, "upper bound of 2/260")
        let many = try Intervals.clopperPearson(successes: 258, trials: 260)
        expectClose(many.lower, 0.9724905352250441, rel: 1e-9, "lower bound of 258/260")
    }

    @Test func proportionIntervalsContainTheEstimateAndStayInTheUnitInterval() throws {
        for n in [1, 2, 5, 17] {
            for k in 0...n {
                let p = Double(k) / Double(n)
                for interval in [
                    try Intervals.wilson(successes: k, trials: n),
                    try Intervals.clopperPearson(successes: k, trials: n),
                ] {
                    #expect(interval.lower >= 0 && interval.upper <= 1, "\(k)/\(n): \(interval)")
                    #expect(interval.contains(p), "\(k)/\(n): \(interval) misses \(p)")
                }
            }
        }
    }

    @Test func proportionIntervalsRejectInvalidCounts() {
        #expect(throws: StatisticsError.self) { try Intervals.wilson(successes: 0, trials: 0) }
        #expect(throws: StatisticsError.self) { try Intervals.wilson(successes: 3, trials: 2) }
        #expect(throws: StatisticsError.self) { try Intervals.wilson(successes: -1, trials: 2) }
        #expect(throws: StatisticsError.self) { try Intervals.wilson(successes: 1, trials: 2, level: 1.5) }
        #expect(throws: StatisticsError.self) { try Intervals.clopperPearson(successes: 0, trials: 0) }
        #expect(throws: StatisticsError.self) { try Intervals.clopperPearson(successes: 5, trials: 4) }
        #expect(throws: StatisticsError.self) { try Intervals.clopperPearson(successes: 1, trials: 4, level: -0.5) }
    }
}
