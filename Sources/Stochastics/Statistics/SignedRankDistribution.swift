/// The exact null distribution of Wilcoxon's signed-rank statistic T⁺ for n untied, non-zero differences.
///
/// Under H₀ each of the 2ⁿ sign patterns is equally likely; the number of patterns with T⁺ = t is the number of
/// subsets of {1, …, n} summing to t, counted by adding one rank at a time (c[t] += c[t − r]). The distribution is
/// symmetric about n(n + 1)/4, so only the lower tail up to min(t, n(n+1)/2 − t) is counted: O(n·t) time. The counts
/// are at most 2ⁿ ≤ 2⁵⁰ < 2⁵³, so they are exact in `Double`. Reference: Wilcoxon, "Individual comparisons by
/// ranking methods", *Biometrics Bulletin* 1 (1945) 80–83; Hollander, Wolfe & Chicken (2014) §3.1.
enum SignedRankDistribution {
    /// The largest n for which the lab uses the exact distribution.
    static let maximumExactCount = 50

    /// The two-sided p-value of an observed integer T⁺ among n ranks: min(1, 2·P(T⁺ ≤ min(t, n(n+1)/2 − t))).
    ///
    /// The tail is a sum of exact counts divided by 2ⁿ, so small p-values keep full relative precision.
    static func twoSidedPValue(_ t: Int, n: Int) -> Double {
        precondition(n >= 0 && n <= maximumExactCount, "exact signed-rank distribution needs 0 ≤ n ≤ 50")
        let maximum = n * (n + 1) / 2
        let tail = min(max(t, 0), maximum - min(max(t, 0), maximum))
        var counts = [Double](repeating: 0, count: tail + 1)
        counts.withUnsafeMutableBufferPointer { c in
            c[0] = 1
            for rank in stride(from: 1, through: min(n, tail), by: 1) {
                for value in stride(from: tail, through: rank, by: -1) { c[value] += c[value - rank] }
            }
        }
        let lower = counts.reduce(0, +)
        let total = Double(sign: .plus, exponent: n, significand: 1)
        return min(1, 2 * lower / total)
    }
}
