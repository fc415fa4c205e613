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
