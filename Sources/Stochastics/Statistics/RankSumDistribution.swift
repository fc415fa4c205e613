/// The exact null distribution of the Mann–Whitney statistic U for two untied samples of sizes m and n.
///
/// f(i, j; u), the number of orderings of i x's and j y's with U = #{(x, y) pairs with x > y} = u, satisfies
/// f(i, j; u) = f(i − 1, j; u − j) + f(i, j − 1; u) (the largest observation is an x or a y), with
/// f(0, j; 0) = f(i, 0; 0) = 1. The distribution is symmetric about mn/2, so only the lower tail up to
/// min(u, mn − u) is counted: O(m·n·u) time, O(n·u) memory. Only additions of non-negative counts are used, so the
/// tail keeps full relative precision; the counts stay below C(m + n, m) ≤ C(100, 50) ≈ 10²⁹, well inside `Double`.
/// Reference: Mann & Whitney, "On a test of whether one of two random variables is stochastically larger than the
/// other", *Annals of Mathematical Statistics* 18 (1947) 50–60, recurrence (2.1).
enum RankSumDistribution {
    /// The largest sample size (each of m and n) for which the lab uses the exact distribution.
    static let maximumExactCount = 50

    /// The two-sided p-value of an observed integer U: min(1, 2·P(U ≤ min(u, mn − u))).
    static func twoSidedPValue(_ u: Int, m: Int, n: Int) -> Double {
        precondition(
            m >= 1 && n >= 1 && m <= maximumExactCount && n <= maximumExactCount,
            "exact rank-sum distribution needs sample sizes in 1...50")
        let maximum = m * n
        let clamped = min(max(u, 0), maximum)
        let tail = min(clamped, maximum - clamped)
        let width = tail + 1
        // Row j of `previous` holds f(i − 1, j; 0...tail), row j of `current` holds f(i, j; 0...tail).
        var previous = [Double](repeating: 0, count: (n + 1) * width)
        var current = previous
        previous.withUnsafeMutableBufferPointer { p in
            for j in 0...n { p[j * width] = 1 }
        }
        for _ in 1...m {
            previous.withUnsafeBufferPointer { p in
                current.withUnsafeMutableBufferPointer { c in
                    for value in 0..<width { c[value] = value == 0 ? 1 : 0 }
                    for j in 1...n {
                        let row = j * width
                        for value in 0..<width {
                            var count = c[row - width + value]
                            if value >= j { count += p[row + value - j] }
                            c[row + value] = count
                        }
                    }
                }
            }
            swap(&previous, &current)
        }
        let lower = previous[(n * width)..<((n + 1) * width)].reduce(0, +)
        // C(m + n, m) by the multiplicative formula (relative error ~ m·ε).
        var total = 1.0
        for i in 1...m { total = total * Double(n + i) / Double(i) }
        return min(1, 2 * lower / total)
    }
}
