import CGSL

extension HypothesisTests {
    /// The paired Student t-test on the differences d = x − y.
    ///
    /// t = d̄ / (s_d/√n) with n − 1 degrees of freedom; p = 2·Q_t(|t|) (`gsl_cdf_tdist_Q`); the interval is
    /// d̄ ± t₍₁₋α/₂, n−1₎ · s_d/√n. `estimate` is the mean paired difference d̄ and `statistic` is t.
    /// Reference: Student, *Biometrika* 6 (1908) 1–25; Zar, *Biostatistical Analysis* (5th ed., 2010) §9.1.
    ///
    /// Degenerate cases:
    /// - every difference 0: statistic 0, p = 1, interval [0, 0];
    /// - every difference the same non-zero c: statistic ±`Double.greatestFiniteMagnitude` (sign of c), p = 0,
    ///   interval [c, c].
    ///
    /// - Parameters:
    ///   - x, y: paired samples of equal length n ≥ 2, finite values.
    ///   - level: the confidence level of the interval, in (0, 1).
    public static func pairedT(_ x: [Double], _ y: [Double], level: Double = 0.95) throws -> TestResult {
        GSL.prepare()
        let routine = "pairedT"
        try Validation.paired(x, y, in: routine)
        try Validation.sample(x, minimumCount: 2, name: "x", in: routine)
        try Validation.sample(y, minimumCount: 2, name: "y", in: routine)
        try Validation.level(level, in: routine)
        let d = zip(x, y).map { $0 - $1 }
        try Validation.sample(d, minimumCount: 2, name: "x − y", in: routine)
        let n = d.count
        let df = Double(n - 1)
        let mean = Descriptive.unsafeMean(d)
        let sd = try Validation.finite(
            Descriptive.unsafeVariance(d, mean: mean).squareRoot(), "the standard deviation", in: routine)
        let method = "Student t on paired differences, df = \(n - 1)"
        guard sd > 0 else {
            return TestResult(
                test: TestResult.Name.pairedT, n: n, statistic: mean == 0 ? 0 : unboundedStatistic(signOf: mean),
                pValue: mean == 0 ? 1 : 0, estimate: mean, interval: Interval(point: mean),
                method: method + " (zero variance)")
        }
        let se = sd / Double(n).squareRoot()
        let t = finiteStatistic(mean / se)
        let p = twoSided(
            upperTail: try Validation.gslValue(gsl_cdf_tdist_Q(abs(t), df), "gsl_cdf_tdist_Q(\(abs(t)), \(df))"))
        let half = try Intervals.tHalfWidth(standardError: se, df: df, level: level)
        return TestResult(
            test: TestResult.Name.pairedT, n: n, statistic: t, pValue: p, estimate: mean,
            interval: Interval(lower: mean - half, upper: mean + half), method: method)
    }

    /// Welch's two-sample t-test for a difference of means without assuming equal variances.
    ///
    /// With vₓ = sₓ²/nₓ and v_y = s_y²/n_y: t = (x̄ − ȳ)/√(vₓ + v_y) and the Welch–Satterthwaite degrees of freedom
    /// ν = (vₓ + v_y)² / (vₓ²/(nₓ − 1) + v_y²/(n_y − 1)) (computed from the shares vₓ/(vₓ + v_y) to avoid
    /// underflow); p = 2·Q_t(|t|; ν); the interval is (x̄ − ȳ) ± t₍₁₋α/₂, ν₎ · √(vₓ + v_y). `estimate` is x̄ − ȳ,
    /// `statistic` is t, `n` is nₓ + n_y. References: Welch, "The generalization of 'Student's' problem when
    /// several different population variances are involved", *Biometrika* 34 (1947) 28–35; Satterthwaite,
    /// *Biometrics Bulletin* 2 (1946) 110–114.
    ///
    /// Degenerate cases: both samples constant — equal constants give statistic 0, p = 1, interval [0, 0];
    /// different constants give statistic ±`Double.greatestFiniteMagnitude`, p = 0, a zero-width interval at
    /// x̄ − ȳ. One constant sample is regular (ν = the other sample's n − 1).
    ///
    /// - Parameters:
    ///   - x, y: independent samples, each with at least 2 finite values.
    ///   - level: the confidence level of the interval, in (0, 1).
    public static func welchT(_ x: [Double], _ y: [Double], level: Double = 0.95) throws -> TestResult {
        GSL.prepare()
        let routine = "welchT"
        try Validation.sample(x, minimumCount: 2, name: "x", in: routine)
        try Validation.sample(y, minimumCount: 2, name: "y", in: routine)
        try Validation.level(level, in: routine)
        let nx = Double(x.count)
        let ny = Double(y.count)
        let mx = Descriptive.unsafeMean(x)
        let my = Descriptive.unsafeMean(y)
        let difference = try Validation.finite(mx - my, "the difference of means", in: routine)
        let vx = Descriptive.unsafeVariance(x, mean: mx) / nx
        let vy = Descriptive.unsafeVariance(y, mean: my) / ny
        let total = try Validation.finite(vx + vy, "the variance of the difference", in: routine)
        let n = x.count + y.count
        guard total > 0 else {
            return TestResult(
                test: TestResult.Name.welchT, n: n,
                statistic: difference == 0 ? 0 : unboundedStatistic(signOf: difference),
                pValue: difference == 0 ? 1 : 0, estimate: difference, interval: Interval(point: difference),
                method: "Welch t (both samples constant)")
        }
        let shareX = vx / total
        let shareY = vy / total
        let df = 1 / (shareX * shareX / (nx - 1) + shareY * shareY / (ny - 1))
        let se = total.squareRoot()
        let t = finiteStatistic(difference / se)
        let p = twoSided(
            upperTail: try Validation.gslValue(gsl_cdf_tdist_Q(abs(t), df), "gsl_cdf_tdist_Q(\(abs(t)), \(df))"))
        let half = try Intervals.tHalfWidth(standardError: se, df: df, level: level)
        return TestResult(
            test: TestResult.Name.welchT, n: n, statistic: t, pValue: p, estimate: difference,
            interval: Interval(lower: difference - half, upper: difference + half),
            method: "Welch t, Welch–Satterthwaite df = \(rounded2(df))")
    }
}
