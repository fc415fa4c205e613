import CGSL

extension HypothesisTests {
    /// The Wilcoxon signed-rank test of H₀: the paired differences d = x − y are symmetric about 0.
    ///
    /// Zero differences are dropped before ranking (Wilcoxon's own method, scipy's `zero_method="wilcox"`); the
    /// remaining n′ differences are ranked by |d| with mid-ranks for ties, and `statistic` is T⁺, the sum of the
    /// ranks of the positive differences. The p-value is
    /// - **exact** (all 2^n′ equally likely sign patterns, counted by dynamic programming) when n′ ≤ 50 and no two
    ///   |d| are equal;
    /// - otherwise the **normal approximation with tie and continuity correction**: mean n′(n′+1)/4, variance
    ///   n′(n′+1)(2n′+1)/24 − Σ(t³ − t)/48 over tie groups of size t, z = max(|T⁺ − mean| − ½, 0)/√variance,
    ///   p = 2·Q(z) (`gsl_cdf_ugaussian_Q`). The correction is never allowed to overshoot the mean; T⁺ − mean is a
    ///   multiple of ½, so this equals scipy's `wilcoxon(..., correction=True, method="approx")`.
    ///
    /// `estimate` is the Hodges–Lehmann estimator of the centre of the differences, the median of the Walsh
    /// averages (dᵢ + dⱼ)/2 for i ≤ j over **all** n differences (zeros included: they are observations of "no
    /// difference", dropped only from the test). `interval` is Tukey's interval for that estimate at `level`
    /// (``HodgesLehmann/oneSampleInterval(_:level:)``), nil when there are too few pairs; `method` says which.
    /// `n` is the number of pairs; `method` says how many zero differences were dropped.
    /// References: Wilcoxon, *Biometrics Bulletin* 1 (1945) 80–83; Hollander, Wolfe & Chicken, *Nonparametric
    /// Statistical Methods* (3rd ed., 2014) §3.1–3.2; Hodges & Lehmann, *Annals of Mathematical Statistics* 34
    /// (1963) 598–611. O(n² log n) time and O(n²) memory for the estimate.
    ///
    /// Degenerate case: every difference 0 — statistic 0, p = 1, estimate 0.
    ///
    /// - Parameters:
    ///   - x, y: paired samples of equal length n ≥ 1, finite values.
    public static func wilcoxonSignedRank(_ x: [Double], _ y: [Double], level: Double = 0.95) throws -> TestResult {
        GSL.prepare()
        let routine = "wilcoxonSignedRank"
        try Validation.paired(x, y, in: routine)
        try Validation.sample(x, name: "x", in: routine)
        try Validation.sample(y, name: "y", in: routine)
        let d = zip(x, y).map { $0 - $1 }
        try Validation.sample(d, name: "x − y", in: routine)
        let estimate = try Validation.finite(
            HodgesLehmann.oneSample(d), "the Hodges–Lehmann estimate", in: routine)
        let nonZero = d.filter { $0 != 0 }
        let zeros = d.count - nonZero.count
        let zeroNote = zeros == 0 ? "" : ", \(zeros) zero difference\(zeros == 1 ? "" : "s") dropped"
        try Validation.level(level, in: routine)
        let interval = HodgesLehmann.oneSampleInterval(d, level: level)
        guard !nonZero.isEmpty else {
            return TestResult(
                test: TestResult.Name.wilcoxonSignedRank, n: d.count, statistic: 0, pValue: 1, estimate: estimate,
                interval: interval, method: "all differences zero")
        }
        let ranking = Ranking(nonZero.map { abs($0) })
        var tPlus = 0.0
        for (difference, rank) in zip(nonZero, ranking.ranks) where difference > 0 { tPlus += rank }
        let count = nonZero.count
        let p: Double
        let method: String
        if count <= SignedRankDistribution.maximumExactCount && !ranking.hasTies {
            p = SignedRankDistribution.twoSidedPValue(Int(tPlus.rounded()), n: count)
            method = "exact"
        } else {
            let nn = Double(count)
            let mean = nn * (nn + 1) / 4
            let variance = nn * (nn + 1) * (2 * nn + 1) / 24 - ranking.tieTerm / 48
            let z = max(abs(tPlus - mean) - 0.5, 0) / variance.squareRoot()
            p = twoSided(upperTail: try Validation.gslValue(gsl_cdf_ugaussian_Q(z), "gsl_cdf_ugaussian_Q(\(z))"))
            method =
                ranking.hasTies
                ? "normal approximation with tie and continuity correction"
                : "normal approximation with continuity correction"
        }
        return TestResult(
            test: TestResult.Name.wilcoxonSignedRank, n: d.count, statistic: tPlus, pValue: p, estimate: estimate,
            interval: interval, method: method + zeroNote)
    }

    /// The Mann–Whitney U (Wilcoxon rank-sum) test of H₀: x and y come from the same distribution.
    ///
    /// The pooled sample is ranked with mid-ranks; `statistic` is U = Rₓ − nₓ(nₓ + 1)/2 for sample x (the number
    /// of pairs with xᵢ > yⱼ, ties counting ½; scipy's `mannwhitneyu` statistic). The p-value is
    /// - **exact** (Mann & Whitney's recurrence for the null distribution of U) when there are no ties and
    ///   nₓ, n_y ≤ 50;
    /// - otherwise the **normal approximation with tie and continuity correction**: mean nₓn_y/2, variance
    ///   nₓn_y/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))), z = max(|U − mean| − ½, 0)/√variance, p = 2·Q(z)
    ///   (equal to scipy's `mannwhitneyu(..., method="asymptotic")`).
    ///
    /// `estimate` is the Hodges–Lehmann shift, the median of the nₓ·n_y differences xᵢ − yⱼ; `interval` is nil;
    /// `n` is nₓ + n_y. References: Mann & Whitney, *Annals of Mathematical Statistics* 18 (1947) 50–60;
    /// Hollander, Wolfe & Chicken (2014) §4.1–4.2; Hodges & Lehmann (1963). O(nₓn_y log(nₓn_y)) for the estimate.
    ///
    /// Degenerate case: every observation equal — the null variance is 0; statistic nₓn_y/2, p = 1, estimate 0.
    ///
    /// - Parameters:
    ///   - x, y: independent samples, each with at least one finite value.
    public static func mannWhitneyU(_ x: [Double], _ y: [Double]) throws -> TestResult {
        GSL.prepare()
        let routine = "mannWhitneyU"
        try Validation.sample(x, name: "x", in: routine)
        try Validation.sample(y, name: "y", in: routine)
        let estimate = try Validation.finite(
            HodgesLehmann.twoSample(x, y), "the Hodges–Lehmann shift", in: routine)
        let ranking = Ranking(x + y)
        let nx = Double(x.count)
        let ny = Double(y.count)
        let rankSum = ranking.ranks[0..<x.count].reduce(0, +)
        let u = rankSum - nx * (nx + 1) / 2
        let n = x.count + y.count
        let p: Double
        let method: String
        if !ranking.hasTies && x.count <= RankSumDistribution.maximumExactCount
            && y.count <= RankSumDistribution.maximumExactCount
        {
            p = RankSumDistribution.twoSidedPValue(Int(u.rounded()), m: x.count, n: y.count)
            method = "exact"
        } else {
            let total = Double(n)
            let mean = nx * ny / 2
            let variance = nx * ny / 12 * ((total + 1) - ranking.tieTerm / (total * (total - 1)))
            if variance > 0 {
                let z = max(abs(u - mean) - 0.5, 0) / variance.squareRoot()
                p = twoSided(upperTail: try Validation.gslValue(gsl_cdf_ugaussian_Q(z), "gsl_cdf_ugaussian_Q(\(z))"))
            } else {
                p = 1
            }
            method =
                ranking.hasTies
                ? "normal approximation with tie and continuity correction"
                : "normal approximation with continuity correction"
        }
        return TestResult(
            test: TestResult.Name.mannWhitneyU, n: n, statistic: u, pValue: p, estimate: estimate, interval: nil,
            method: method)
    }
}
