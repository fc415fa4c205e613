import CGSL

/// Hodges–Lehmann location estimators, the estimates that accompany the rank tests.
///
/// Reference: Hodges & Lehmann, "Estimates of location based on rank tests", *Annals of Mathematical Statistics*
/// 34 (1963) 598–611; Hollander, Wolfe & Chicken (2014) §3.2 and §4.2.
enum HodgesLehmann {
    /// The median of the Walsh averages (dᵢ + dⱼ)/2, i ≤ j, of a non-empty sample. O(n² log n).
    static func oneSample(_ d: [Double]) -> Double {
        var averages: [Double] = []
        averages.reserveCapacity(d.count * (d.count + 1) / 2)
        for i in d.indices {
            for j in i..<d.count { averages.append(0.5 * d[i] + 0.5 * d[j]) }
        }
        return Descriptive.unsafeMedian(averages)
    }

    /// Tukey's confidence interval for the pseudo-median that accompanies the Hodges–Lehmann estimate: the
    /// C-th smallest and C-th largest of the M = n(n+1)/2 Walsh averages, with
    /// C = ⌊n(n+1)/4 − z₍₁₋α/₂₎ · √(n(n+1)(2n+1)/24)⌋ (the large-sample critical value of the signed-rank statistic,
    /// Hollander, Wolfe & Chicken 2014 §3.3, comment 26). nil when C < 1: too few pairs for an interval at this
    /// level (n ≤ 5 at 95%).
    static func oneSampleInterval(_ d: [Double], level: Double) -> Interval? {
        let n = Double(d.count)
        let z = gsl_cdf_ugaussian_Qinv((1 - level) / 2)
        let c = Int((n * (n + 1) / 4 - z * (n * (n + 1) * (2 * n + 1) / 24).squareRoot()).rounded(.down))
        guard c >= 1 else { return nil }
        var averages: [Double] = []
        averages.reserveCapacity(d.count * (d.count + 1) / 2)
        for i in d.indices {
            for j in i..<d.count { averages.append(0.5 * d[i] + 0.5 * d[j]) }
        }
        averages.sort()
        return Interval(lower: averages[c - 1], upper: averages[averages.count - c])
    }

    /// The median of the differences xᵢ − yⱼ over all pairs of two non-empty samples. O(mn log(mn)).
    static func twoSample(_ x: [Double], _ y: [Double]) -> Double {
        var differences: [Double] = []
        differences.reserveCapacity(x.count * y.count)
        for a in x {
            for b in y { differences.append(a - b) }
        }
        return Descriptive.unsafeMedian(differences)
    }
}
