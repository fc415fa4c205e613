import Stochastics
import Testing

/// Paired binary outcomes with the given 2×2 cell counts: `a` both true, `b` x only, `c` y only, `d` neither.
func pairedOutcomes(a: Int, b: Int, c: Int, d: Int) -> (x: [Bool], y: [Bool]) {
    let x = Array(repeating: true, count: a + b) + Array(repeating: false, count: c + d)
    let y =
        Array(repeating: true, count: a) + Array(repeating: false, count: b) + Array(repeating: true, count: c)
        + Array(repeating: false, count: d)
    return (x, y)
}

/// The Newcombe paired interval references below come from this Python transcription of Fagerland, Lydersen &
/// Laake, *Statistical Analysis of Contingency Tables* (2017) ch. 8 / Newcombe (1998) method 10 (the same
/// formula as R `contingencytables::Newcombe_square_and_add_CI_paired_2x2`), run with scipy 1.17.1:
/// ```python
/// def wilson(k, n, level=.95):
///     z = stats.norm.isf((1-level)/2); p = k/n
///     c = (p + z*z/(2*n))/(1+z*z/n); h = z/(1+z*z/n)*np.sqrt(p*(1-p)/n + z*z/(4*n*n))
///     return (max(c-h,0) if k>0 else 0.0, min(c+h,1) if k<n else 1.0)
/// def paired(a,b,c,d,level=.95):
///     N=a+b+c+d; p1=(a+b)/N; p2=(a+c)/N; l1,u1=wilson(a+b,N,level); l2,u2=wilson(a+c,N,level)
///     if min(a+b,c+d,a+c,b+d)==0: psi=0
///     else:
///         prod=(a+b)*(c+d)*(a+c)*(b+d); A=a*d-b*c
///         psi=(A-N/2)/np.sqrt(prod) if A>N/2 else (0 if A>=0 else A/np.sqrt(prod))
///     t=p1-p2
///     L=t-np.sqrt((p1-l1)**2+(u2-p2)**2-2*psi*(p1-l1)*(u2-p2))
///     U=t+np.sqrt((p2-l2)**2+(u1-p1)**2-2*psi*(p2-l2)*(u1-p1))
///     return t, max(L,-1), min(U,1)
/// ```
@Suite("Count tests")
struct CountTestTests {
    /// b + c = 12 < 25: exact binomial. Reference: scipy 1.17.1, `stats.binomtest(3, 12, 0.5).pvalue`
    /// (two-sided; equal to doubling the smaller tail for p = ½); interval from `paired(20, 3, 9, 18)` above.
    /// Tolerance 1e-12 relative on p (a short sum of binomial terms), 1e-9 on the interval.
    @Test func mcnemarExact() throws {
        let (x, y) = pairedOutcomes(a: 20, b: 3, c: 9, d: 18)
        let result = try HypothesisTests.mcnemar(x, y)
        #expect(result.test == "mcnemar")
        #expect(result.n == 50)
        #expect(result.method == "exact binomial on 12 discordant pairs")
        #expect(result.statistic == 3)
        expectClose(result.pValue, 0.14599609375, rel: 1e-12, "p")
        expectClose(result.estimate, -0.11999999999999994, rel: 1e-12, "p_x − p_y")
        expectInterval(result.interval, -0.24821742148983258, 0.016731383867021887, rel: 1e-9, "Newcombe interval")
    }

    /// b + c = 28 ≥ 25: chi-square with continuity correction, χ² = (|20 − 8| − 1)²/28.
    /// Reference: scipy 1.17.1, `stats.chi2.sf(121/28, 1)`; interval from `paired(30, 20, 8, 42)` and
    /// `paired(30, 20, 8, 42, .9)` above. Tolerance 1e-9 relative.
    @Test func mcnemarChiSquare() throws {
        let (x, y) = pairedOutcomes(a: 30, b: 20, c: 8, d: 42)
        let result = try HypothesisTests.mcnemar(x, y)
        #expect(result.method == "chi-square with continuity correction on 28 discordant pairs")
        expectClose(result.statistic, 4.321428571428571, rel: 1e-12, "chi-square")
        expectClose(result.pValue, 0.03763531378731436, rel: 1e-9, "p")
        expectClose(result.estimate, 0.12, rel: 1e-12, "p_x − p_y")
        expectInterval(result.interval, 0.016624723241638523, 0.21882125077057846, rel: 1e-9, "95% interval")
        let ninety = try HypothesisTests.mcnemar(x, y, level: 0.9)
        expectInterval(ninety.interval, 0.033097279100037125, 0.20366057815252392, rel: 1e-9, "90% interval")
    }

    /// Newcombe's paired interval on the two textbook tables of Fagerland et al. (2017) ch. 8 — Bentur et al.
    /// (2009) [[1, 1], [7, 12]] and Cavo et al. (2012) [[59, 6], [16, 80]] — and on tables with empty margins.
    /// References: `paired(...)` above. Tolerance 1e-9 relative.
    @Test func mcnemarNewcombeIntervalOnReferenceTables() throws {
        let cases: [(Int, Int, Int, Int, Double, Double, Double)] = [
            (1, 1, 7, 12, -0.2857142857142857, -0.506920226686141, -0.02555912416485978),
            (59, 6, 16, 80, -0.06211180124223603, -0.11862119563870992, -0.004625113933050047),
            (2, 5, 1, 0, 0.5, -0.07387297628692924, 0.8017998507422621),
            (12, 0, 0, 8, 0.0, -0.09536619193898227, 0.09536619193898227),
            (0, 0, 0, 5, 0.0, -0.43448246478317476, 0.43448246478317476),
            (10, 0, 0, 0, 0.0, -0.27753279986288926, 0.27753279986288926),
        ]
        for (a, b, c, d, estimate, lower, upper) in cases {
            let (x, y) = pairedOutcomes(a: a, b: b, c: c, d: d)
            let result = try HypothesisTests.mcnemar(x, y)
            expectClose(result.estimate, estimate, rel: 1e-12, "estimate [\(a) \(b) \(c) \(d)]")
            expectInterval(result.interval, lower, upper, rel: 1e-9, "interval [\(a) \(b) \(c) \(d)]")
        }
    }

    /// Documented degenerate cases (exact): no discordant pair gives statistic 0, p = 1, estimate 0; b = c in the
    /// chi-square branch gives χ² = 0 and p = 1 (the continuity correction does not overshoot).
    @Test func mcnemarDegenerateCases() throws {
        let (x, y) = pairedOutcomes(a: 12, b: 0, c: 0, d: 8)
        let none = try HypothesisTests.mcnemar(x, y)
        #expect(none.statistic == 0 && none.pValue == 1 && none.estimate == 0)
        #expect(none.method == "no discordant pairs")
        let (bx, by) = pairedOutcomes(a: 5, b: 15, c: 15, d: 5)
        let balanced = try HypothesisTests.mcnemar(bx, by)
        #expect(balanced.statistic == 0 && balanced.pValue == 1)
        let (ex, ey) = pairedOutcomes(a: 5, b: 6, c: 6, d: 5)
        #expect(try HypothesisTests.mcnemar(ex, ey).pValue == 1)
        #expect(isNumeric(none) && isNumeric(balanced))
    }

    @Test func mcnemarRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try HypothesisTests.mcnemar([], []) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.mcnemar([true], [true, false]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.mcnemar([true], [false], level: 2) }
    }

    // MARK: Chi-square goodness of fit

    /// Reference: scipy 1.17.1, `stats.chisquare(obs, exp)` with the lists below. Tolerance 1e-9 relative.
    @Test func chiSquareMatchesScipy() throws {
        let observed: [Double] = [30, 14, 34, 45, 57, 20]
        let expected = [
            33.33333333333333, 33.33333333333333, 33.33333333333333, 33.33333333333334, 33.33333333333334,
            33.33333333333334,
        ]
        let result = try HypothesisTests.chiSquareGoodnessOfFit(observed: observed, expected: expected)
        #expect(result.test == "chi_square_gof")
        #expect(result.n == 200)
        #expect(result.method == "Pearson chi-square, df = 5")
        expectClose(result.statistic, 37.77999999999997, rel: 1e-9, "chi-square")
        expectClose(result.pValue, 4.1773254752652314e-07, rel: 1e-9, "p")
        // Total-variation distance by hand: |o − 200/6| = 10/3, 58/3, 2/3, 35/3, 71/3, 40/3, summing to 72;
        // ½ · 72/200 = 0.18. Tolerance 1e-12 relative (rounding of the shares).
        expectClose(result.estimate, 0.18, rel: 1e-12, "total-variation distance")
    }

    /// A sample-ratio check and a skipped empty category. References: scipy 1.17.1, `stats.chisquare([530, 470],
    /// [500, 500])` and `stats.chisquare([40, 60], [50, 50])` (the (0, 0) category removed). Tolerance 1e-9.
    @Test func chiSquareSkipsEmptyCategories() throws {
        let srm = try HypothesisTests.chiSquareGoodnessOfFit(observed: [530, 470], expected: [500, 500])
        expectClose(srm.statistic, 3.6, rel: 1e-12, "SRM chi-square")
        expectClose(srm.pValue, 0.05777957112359715, rel: 1e-9, "SRM p")
        expectClose(srm.estimate, 0.03, rel: 1e-12, "SRM misallocated share")
        let skipped = try HypothesisTests.chiSquareGoodnessOfFit(observed: [40, 0, 60], expected: [50, 0, 50])
        #expect(skipped.method == "Pearson chi-square, df = 1")
        expectClose(skipped.statistic, 4.0, rel: 1e-12, "chi-square")
        expectClose(skipped.pValue, 0.04550026389635857, rel: 1e-9, "p")
    }

    /// Documented degenerate cases (exact): an observed count where 0 is expected gives p = 0 with the largest
    /// finite statistic; a single usable category gives p = 1; all-zero counts give p = 1.
    @Test func chiSquareDegenerateCases() throws {
        let impossible = try HypothesisTests.chiSquareGoodnessOfFit(observed: [5, 5], expected: [10, 0])
        #expect(impossible.pValue == 0 && impossible.statistic == .greatestFiniteMagnitude)
        let single = try HypothesisTests.chiSquareGoodnessOfFit(observed: [7, 0], expected: [7, 0])
        #expect(single.pValue == 1 && single.statistic == 0)
        let empty = try HypothesisTests.chiSquareGoodnessOfFit(observed: [0, 0], expected: [0, 0])
        #expect(empty.pValue == 1 && empty.n == 0 && empty.estimate == 0)
        #expect(isNumeric(impossible) && isNumeric(single) && isNumeric(empty))
    }

    @Test func chiSquareRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) {
            try HypothesisTests.chiSquareGoodnessOfFit(observed: [], expected: [])
        }
        #expect(throws: StatisticsError.self) {
            try HypothesisTests.chiSquareGoodnessOfFit(observed: [1, 2], expected: [3])
        }
        #expect(throws: StatisticsError.self) {
            try HypothesisTests.chiSquareGoodnessOfFit(observed: [1, -2], expected: [-1, 0])
        }
        // Shares instead of counts: the totals disagree.
        #expect(throws: StatisticsError.self) {
            try HypothesisTests.chiSquareGoodnessOfFit(observed: [40, 60], expected: [0.5, 0.5])
        }
    }
}
