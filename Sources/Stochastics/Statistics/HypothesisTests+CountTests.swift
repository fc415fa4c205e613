import CGSL

extension HypothesisTests {
    /// McNemar's test for paired binary outcomes, H₀: P(x = true) = P(y = true).
    ///
    /// Only the discordant pairs carry information: b = #(x true, y false), c = #(x false, y true).
    /// - b + c < 25: the **exact** conditional test, b ~ Binomial(b + c, ½) under H₀; p = min(1, 2·P(X ≤ min(b, c)))
    ///   (`gsl_cdf_binomial_P`; doubling the smaller tail equals scipy's `binomtest(b, b + c, 0.5)` because the
    ///   null is symmetric). `statistic` is b. The test is conservative (discrete).
    /// - b + c ≥ 25: the **chi-square with continuity correction** (Edwards 1948), χ² = max(|b − c| − 1, 0)²/(b + c)
    ///   with 1 df, p = `gsl_cdf_chisq_Q(χ², 1)`. `statistic` is χ². The correction is not allowed to overshoot
    ///   (b = c gives χ² = 0 and p = 1, where the textbook (|b − c| − 1)² would not).
    ///
    /// `estimate` is pₓ − p_y = (b − c)/n and `interval` is Newcombe's square-and-add interval for a paired
    /// difference of proportions at `level` (Newcombe 1998, *Statistics in Medicine* 17:2635–2650, method 10).
    /// `n` is the number of pairs. References: McNemar, "Note on the sampling error of the difference between
    /// correlated proportions or percentages", *Psychometrika* 12 (1947) 153–157; Edwards, *Psychometrika* 13 (1948)
    /// 185–187; Fagerland, Lydersen & Laake, *BMC Medical Research Methodology* 13 (2013) 91.
    ///
    /// Degenerate case: no discordant pair (b + c = 0) — statistic 0, p = 1, estimate 0; the interval is still the
    /// Newcombe interval (not zero-width: concordant pairs do not prove the rates equal).
    ///
    /// - Parameters:
    ///   - x, y: paired outcomes of equal length n ≥ 1.
    ///   - level: the confidence level of the interval, in (0, 1).
    public static func mcnemar(_ x: [Bool], _ y: [Bool], level: Double = 0.95) throws -> TestResult {
        GSL.prepare()
        let routine = "mcnemar"
        try Validation.paired(x, y, in: routine)
        guard !x.isEmpty else { throw StatisticsError("\(routine): x and y are empty") }
        try Validation.level(level, in: routine)
        var a = 0
        var b = 0
        var c = 0
        var d = 0
        for (first, second) in zip(x, y) {
            switch (first, second) {
            case (true, true): a += 1
            case (true, false): b += 1
            case (false, true): c += 1
            case (false, false): d += 1
            }
        }
        let z = try Intervals.normalUpperQuantile((1 - level) / 2)
        let (estimate, interval) = Intervals.newcombePaired(a: a, b: b, c: c, d: d, z: z)
        let discordant = b + c
        let statistic: Double
        let p: Double
        let method: String
        if discordant == 0 {
            statistic = 0
            p = 1
            method = "no discordant pairs"
        } else if discordant < 25 {
            statistic = Double(b)
            let tail = gsl_cdf_binomial_P(UInt32(min(b, c)), 0.5, UInt32(discordant))
            p = twoSided(
                upperTail: try Validation.gslValue(tail, "gsl_cdf_binomial_P(\(min(b, c)), 0.5, \(discordant))"))
            method = "exact binomial on \(discordant) discordant pairs"
        } else {
            let excess = max(Double(abs(b - c)) - 1, 0)
            statistic = excess * excess / Double(discordant)
            p = min(1, try Validation.gslValue(gsl_cdf_chisq_Q(statistic, 1), "gsl_cdf_chisq_Q(\(statistic), 1)"))
            method = "chi-square with continuity correction on \(discordant) discordant pairs"
        }
        return TestResult(
            test: TestResult.Name.mcnemar, n: x.count, statistic: statistic, pValue: p, estimate: estimate,
            interval: interval, method: method)
    }

    /// Pearson's chi-square goodness-of-fit test of observed counts against expected counts.
    ///
    /// χ² = Σ (oᵢ − eᵢ)²/eᵢ over the k′ categories kept, with k′ − 1 degrees of freedom; p = `gsl_cdf_chisq_Q`.
    /// Categories with eᵢ = 0 and oᵢ = 0 are skipped (they carry no information and would divide 0 by 0).
    /// `estimate` is the total-variation distance ½ Σ |oᵢ/Σo − eᵢ/Σe| between the observed and expected shares
    /// (0 = perfect fit, 1 = disjoint; for a sample-ratio-mismatch check it is the share of traffic misallocated).
    /// `n` is Σo rounded to an integer; `interval` is nil. References: Pearson, *Philosophical Magazine* (5) 50
    /// (1900) 157–175; GSL manual, "Random Number Distributions › The Chi-squared Distribution".
    ///
    /// Degenerate cases:
    /// - some eᵢ = 0 with oᵢ > 0: the observation is impossible under H₀; statistic `Double.greatestFiniteMagnitude`,
    ///   p = 0;
    /// - fewer than two categories kept (df would be 0): the statistic as computed, p = 1.
    ///
    /// - Parameters:
    ///   - observed: counts ≥ 0, finite, at least one category.
    ///   - expected: expected counts ≥ 0 under H₀, same length. They must sum to Σo within a relative 1e-8 (as
    ///     scipy's `chisquare` requires): scale expected shares by the observed total first.
    public static func chiSquareGoodnessOfFit(observed: [Double], expected: [Double]) throws -> TestResult {
        GSL.prepare()
        let routine = "chiSquareGoodnessOfFit"
        guard observed.count == expected.count else {
            throw StatisticsError(
                "\(routine): observed and expected have different lengths (\(observed.count) vs \(expected.count))")
        }
        try Validation.sample(observed, name: "observed", in: routine)
        try Validation.sample(expected, name: "expected", in: routine)
        if let index = observed.firstIndex(where: { $0 < 0 }) {
            throw StatisticsError("\(routine): observed[\(index)] = \(observed[index]) is negative")
        }
        if let index = expected.firstIndex(where: { $0 < 0 }) {
            throw StatisticsError("\(routine): expected[\(index)] = \(expected[index]) is negative")
        }
        let observedTotal = try Validation.finite(observed.reduce(0, +), "the observed total", in: routine)
        let expectedTotal = try Validation.finite(expected.reduce(0, +), "the expected total", in: routine)
        guard abs(observedTotal - expectedTotal) <= 1e-8 * max(observedTotal, expectedTotal) else {
            throw StatisticsError(
                "\(routine): expected counts sum to \(expectedTotal) but observed counts sum to \(observedTotal)")
        }
        let n = observedTotal < Double(Int.max) ? Int(observedTotal.rounded()) : Int.max
        var distance = 0.0
        if observedTotal > 0 {
            for (o, e) in zip(observed, expected) { distance += abs(o / observedTotal - e / expectedTotal) }
            distance /= 2
        }
        var statistic = 0.0
        var kept = 0
        var impossible = false
        for (o, e) in zip(observed, expected) {
            if e == 0 {
                if o > 0 { impossible = true }
                continue
            }
            kept += 1
            statistic += (o - e) * (o - e) / e
        }
        if impossible {
            return TestResult(
                test: TestResult.Name.chiSquareGoodnessOfFit, n: n, statistic: .greatestFiniteMagnitude, pValue: 0,
                estimate: distance, interval: nil, method: "Pearson chi-square (an observed category has expected 0)")
        }
        statistic = finiteStatistic(statistic)
        guard kept >= 2 else {
            return TestResult(
                test: TestResult.Name.chiSquareGoodnessOfFit, n: n, statistic: statistic, pValue: 1,
                estimate: distance, interval: nil, method: "Pearson chi-square, df = 0")
        }
        let df = Double(kept - 1)
        let p = try Validation.gslValue(gsl_cdf_chisq_Q(statistic, df), "gsl_cdf_chisq_Q(\(statistic), \(df))")
        return TestResult(
            test: TestResult.Name.chiSquareGoodnessOfFit, n: n, statistic: statistic, pValue: min(max(p, 0), 1),
            estimate: distance, interval: nil, method: "Pearson chi-square, df = \(kept - 1)")
    }
}
