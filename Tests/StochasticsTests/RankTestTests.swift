import Testing

@testable import Stochastics

@Suite("Rank tests")
struct RankTestTests {
    // MARK: Wilcoxon signed-rank

    /// Exact branch: n = 10 untied non-zero differences.
    /// Reference: scipy 1.17.1, `stats.wilcoxon(wx, wy, method='exact').pvalue` = 0.01953125 (= 20/1024);
    /// T⁺ = `stats.wilcoxon(wx, wy, method='exact', alternative='greater').statistic` = 50;
    /// Hodges–Lehmann = `np.median([(d[i] + d[j])/2 for i in range(10) for j in range(i, 10)])`, d = wx − wy.
    /// Tolerance: 1e-12 relative (the exact p is a ratio of integers; the estimate is a mean of two doubles).
    @Test func wilcoxonExactMatchesScipy() throws {
        let wx = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.01]
        let wy = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 1.50]
        let result = try HypothesisTests.wilcoxonSignedRank(wx, wy)
        #expect(result.test == "wilcoxon_signed_rank")
        #expect(result.n == 10)
        #expect(result.method == "exact")
        #expect(result.statistic == 50)
        expectClose(result.pValue, 0.01953125, rel: 1e-12, "p")
        expectClose(result.estimate, 0.4710000000000001, rel: 1e-12, "Hodges–Lehmann")
        // Tukey's interval: the C-th smallest and largest of the 55 Walsh averages, C = ⌊27.5 − 1.96·√96.25⌋ = 8
        // (Hollander, Wolfe & Chicken 2014 §3.3, large-sample C; the exact table gives 9, a slightly shorter interval).
        let d = zip(wx, wy).map { $0 - $1 }
        var walsh: [Double] = []
        for i in d.indices { for j in i..<d.count { walsh.append(0.5 * d[i] + 0.5 * d[j]) } }
        walsh.sort()
        let interval = try #require(result.interval)
        #expect(interval.lower == walsh[7] && interval.upper == walsh[47])
        #expect(interval.contains(result.estimate))
        // Five pairs are too few for a 95% interval (C < 1).
        #expect(try HypothesisTests.wilcoxonSignedRank(Array(wx.prefix(5)), Array(wy.prefix(5))).interval == nil)
    }

    /// Zeros are dropped before ranking (Wilcoxon's method); the exact distribution of the 9 remaining differences.
    /// Reference: scipy 1.17.1, `stats.wilcoxon(zx, zy, method='exact', zero_method='wilcox')` p = 0.02734375
    /// (= 14/512); T⁺ from `alternative='greater'` = 41; Hodges–Lehmann over all 12 differences (zeros included)
    /// with the NumPy expression above. Tolerance 1e-12 relative.
    @Test func wilcoxonDropsZeroDifferences() throws {
        let zx = [5.1, 4.0, 6.2, 3.3, 7.7, 5.0, 4.4, 6.9, 5.5, 6.0, 3.9, 4.8]
        let zy = [4.3, 4.0, 5.1, 3.9, 6.2, 5.0, 3.1, 6.6, 5.1, 4.1, 3.9, 4.6]
        let result = try HypothesisTests.wilcoxonSignedRank(zx, zy)
        #expect(result.n == 12)
        #expect(result.method == "exact, 3 zero differences dropped")
        #expect(result.statistic == 41)
        expectClose(result.pValue, 0.02734375, rel: 1e-12, "p")
        expectClose(result.estimate, 0.5500000000000003, rel: 1e-12, "Hodges–Lehmann")
    }

    /// Ties among |d| force the normal approximation with tie and continuity correction.
    /// Reference: scipy 1.17.1, `stats.wilcoxon(tx, ty, method='asymptotic', correction=True).pvalue`;
    /// T⁺ from `alternative='greater'`; Hodges–Lehmann with the NumPy expression. Tolerance 1e-9 relative.
    @Test func wilcoxonTiedUsesCorrectedNormalApproximation() throws {
        let tx: [Double] = [3, 5, 2, 6, 4, 7, 5, 3, 6, 8, 4, 5, 6, 2, 7, 5]
        let ty: [Double] = [2, 4, 2, 4, 5, 5, 4, 2, 4, 6, 3, 6, 4, 1, 5, 4]
        let result = try HypothesisTests.wilcoxonSignedRank(tx, ty)
        #expect(result.method == "normal approximation with tie and continuity correction, 1 zero difference dropped")
        #expect(result.statistic == 110)
        expectClose(result.pValue, 0.0036888396921189517, rel: 1e-9, "p")
        expectClose(result.estimate, 1.0, rel: 1e-12, "Hodges–Lehmann")
    }

    /// n = 60 > 50 untied differences: normal approximation with continuity correction.
    /// Data: `rng = np.random.default_rng(7); lx = np.round(rng.normal(0.3, 1, 60), 6);
    /// ly = np.round(rng.normal(0, 1, 60), 6)`, pasted below. Reference: scipy 1.17.1,
    /// `stats.wilcoxon(lx, ly, method='asymptotic', correction=True).pvalue`; T⁺ from `alternative='greater'`.
    /// Tolerance 1e-9 relative.
    @Test func wilcoxonLargeSampleUsesNormalApproximation() throws {
        let result = try HypothesisTests.wilcoxonSignedRank(Self.lx, Self.ly)
        #expect(result.method == "normal approximation with continuity correction")
        #expect(result.statistic == 1057)
        expectClose(result.pValue, 0.2975661750554416, rel: 1e-9, "p")
        expectClose(result.estimate, 0.16652775000000003, rel: 1e-12, "Hodges–Lehmann")
    }

    /// Documented degenerate case (exact): all differences zero gives statistic 0, p = 1, estimate 0.
    @Test func wilcoxonAllZeroDifferences() throws {
        let result = try HypothesisTests.wilcoxonSignedRank([1, 2, 3], [1, 2, 3])
        #expect(result.statistic == 0 && result.pValue == 1 && result.estimate == 0)
        #expect(result.method == "all differences zero")
        let single = try HypothesisTests.wilcoxonSignedRank([2], [1])
        #expect(single.pValue == 1 && single.statistic == 1 && single.estimate == 1)
    }

    @Test func wilcoxonRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try HypothesisTests.wilcoxonSignedRank([], []) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.wilcoxonSignedRank([1, 2], [1]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.wilcoxonSignedRank([1, .nan], [1, 2]) }
    }

    /// The exact null distribution against hand-countable cases (exact): n = 3 has counts
    /// [1, 1, 1, 2, 1, 1, 1] over T⁺ = 0...6, so P(T⁺ ≤ 0) = 1/8 and the two-sided p of T⁺ = 0 is 1/4.
    @Test func signedRankDistributionSmallCases() {
        #expect(SignedRankDistribution.twoSidedPValue(0, n: 3) == 0.25)
        #expect(SignedRankDistribution.twoSidedPValue(6, n: 3) == 0.25)
        #expect(SignedRankDistribution.twoSidedPValue(1, n: 3) == 0.5)
        #expect(SignedRankDistribution.twoSidedPValue(3, n: 3) == 1)
        // n = 50: the extreme outcomes have probability 2^-50 each, doubled.
        #expect(SignedRankDistribution.twoSidedPValue(0, n: 50) == 0x1p-49)
        #expect(SignedRankDistribution.twoSidedPValue(1275, n: 50) == 0x1p-49)
    }

    // MARK: Mann–Whitney U

    /// Exact branch, 6 vs 8 untied. Reference: scipy 1.17.1, `stats.mannwhitneyu(mx, my, method='exact')`
    /// (statistic is U for x); Hodges–Lehmann shift = `np.median([a - b for a in mx for b in my])`.
    /// Tolerance 1e-12 relative.
    @Test func mannWhitneyExactMatchesScipy() throws {
        let mx = [1.1, 3.4, 2.2, 5.8, 4.1, 3.9]
        let my = [0.7, 1.9, 2.5, 1.4, 3.1, 0.2, 2.8, 1.6]
        let result = try HypothesisTests.mannWhitneyU(mx, my)
        #expect(result.test == "mann_whitney_u")
        #expect(result.n == 14)
        #expect(result.method == "exact")
        #expect(result.statistic == 39)
        expectClose(result.pValue, 0.05927405927405928, rel: 1e-12, "p")
        expectClose(result.estimate, 1.5499999999999998, rel: 1e-12, "Hodges–Lehmann shift")
    }

    /// Exact branch, 12 vs 15, both above scipy's own exact cut-off of 8 but inside the lab's (50).
    /// Data: `rng = np.random.default_rng(11); ax = np.round(rng.gamma(2.0, 1.5, 12), 4);
    /// ay = np.round(rng.gamma(2.0, 1.0, 15), 4)`. Reference: scipy 1.17.1, `stats.mannwhitneyu(ax, ay,
    /// method='exact')`. Tolerance 1e-12 relative.
    @Test func mannWhitneyExactModerateSamples() throws {
        let ax = [2.5668, 5.7007, 1.9662, 3.7735, 4.2432, 6.9261, 4.0626, 1.8354, 4.4607, 2.2156, 1.165, 3.3455]
        let ay = [
            0.2136, 1.133, 0.387, 3.1141, 0.8792, 2.7747, 2.4734, 1.4135, 2.157, 3.5258, 0.9501, 0.2808, 2.4451,
            4.1719, 2.6149,
        ]
        let result = try HypothesisTests.mannWhitneyU(ax, ay)
        #expect(result.method == "exact")
        #expect(result.statistic == 139)
        expectClose(result.pValue, 0.016084575002329748, rel: 1e-12, "p")
        expectClose(result.estimate, 1.5417, rel: 1e-12, "Hodges–Lehmann shift")
    }

    /// Ties: normal approximation with tie and continuity correction. Reference: scipy 1.17.1,
    /// `stats.mannwhitneyu(tx, ty, method='asymptotic', use_continuity=True)`. Tolerance 1e-9 relative.
    @Test func mannWhitneyTiedUsesCorrectedNormalApproximation() throws {
        let tx: [Double] = [3, 5, 4, 6, 5, 7, 4, 5, 6, 8]
        let ty: [Double] = [2, 4, 3, 4, 5, 3, 4, 2, 5, 6, 3, 4]
        let result = try HypothesisTests.mannWhitneyU(tx, ty)
        #expect(result.method == "normal approximation with tie and continuity correction")
        #expect(result.statistic == 94.5)
        expectClose(result.pValue, 0.022163271504587734, rel: 1e-9, "p")
        expectClose(result.estimate, 1.5, rel: 1e-12, "Hodges–Lehmann shift")
    }

    /// Documented degenerate case (exact): every observation equal — U = nₓn_y/2, p = 1 (scipy 1.17.1,
    /// `stats.mannwhitneyu([2,2,2], [2,2], method='asymptotic')` gives statistic 3.0, p 1.0).
    @Test func mannWhitneyAllEqual() throws {
        let result = try HypothesisTests.mannWhitneyU([2, 2, 2], [2, 2])
        #expect(result.statistic == 3 && result.pValue == 1 && result.estimate == 0)
        let tiny = try HypothesisTests.mannWhitneyU([1], [2])
        #expect(tiny.statistic == 0 && tiny.pValue == 1 && tiny.estimate == -1)
    }

    @Test func mannWhitneyRejectsInvalidInput() {
        #expect(throws: StatisticsError.self) { try HypothesisTests.mannWhitneyU([], [1]) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.mannWhitneyU([1], []) }
        #expect(throws: StatisticsError.self) { try HypothesisTests.mannWhitneyU([1], [.nan]) }
    }

    /// The exact U distribution against counts by hand (exact): m = n = 2 has 6 orderings with
    /// U = 0, 1, 2, 2, 3, 4, so P(U ≤ 0) = 1/6 and the two-sided p of U = 0 is 1/3.
    @Test func rankSumDistributionSmallCases() {
        expectClose(RankSumDistribution.twoSidedPValue(0, m: 2, n: 2), 1.0 / 3.0, rel: 1e-15, "P(U = 0) doubled")
        expectClose(RankSumDistribution.twoSidedPValue(4, m: 2, n: 2), 1.0 / 3.0, rel: 1e-15, "P(U = 4) doubled")
        expectClose(RankSumDistribution.twoSidedPValue(1, m: 2, n: 2), 2.0 / 3.0, rel: 1e-15, "P(U ≤ 1) doubled")
        #expect(RankSumDistribution.twoSidedPValue(2, m: 2, n: 2) == 1)
        // m = n = 50: the extreme outcome has probability 1/C(100, 50) = 9.911653021418339e-30 (scipy 1.17.1,
        // `1/scipy.special.comb(100, 50, exact=True)`), doubled. Tolerance 1e-12 relative.
        expectClose(
            RankSumDistribution.twoSidedPValue(0, m: 50, n: 50), 2 * 9.911653021418339e-30, rel: 1e-12, "2/C(100, 50)")
    }

    static let lx = [
        0.30123, 0.598746, 0.025862, -0.590592, -0.154671, -0.691647, 0.360144, 1.640215, -0.192207, -0.320475,
        0.789842, 0.656887, 0.405414, -0.630468, 0.270748, 0.995303, -1.044215, -0.157616, -1.601223, -0.989538,
        -1.541735, 0.064909, -0.967446, 0.571264, 0.456751, 0.113069, -2.21676, -0.238693, 0.251499, 0.413309,
        -1.230136, -0.177753, -0.678519, -0.508837, 1.360899, -0.507535, 0.267478, 1.18439, -0.2836, 0.188298,
        0.410464, 0.363782, -0.925056, 0.37614, 1.658823, -1.247145, 1.159383, 0.419354, -0.34147, 2.300417,
        1.06226, -0.899289, 0.374516, 0.87669, 0.111218, 0.98291, 0.233483, 0.967248, 1.738523, -0.375662,
    ]
    static let ly = [
        0.203139, -0.463308, 0.127268, -1.187195, -0.579302, -0.196196, 0.898764, 1.145222, -1.323528, -0.794642,
        0.646903, -1.99242, -0.46317, -0.097287, 1.257015, 0.689404, -0.327213, -0.368576, -0.250195, 1.523529,
        -0.428025, -0.30368, 0.352589, -0.12077, -0.197284, -1.114067, -0.011521, -0.443581, 1.166128, 0.653089,
        -0.024144, 0.668381, -0.33987, 1.052126, -0.0054, 0.583382, -1.290893, 0.34668, -1.688204, -2.035329,
        -0.304477, -0.899928, 0.164053, 2.244757, -0.831723, -0.623944, 0.205404, 0.493013, -0.176406, -0.20593,
        0.702463, 0.519908, -1.033676, -0.079181, 0.035287, -1.054485, 0.259839, -0.857956, 0.972067, 0.192746,
    ]
}
