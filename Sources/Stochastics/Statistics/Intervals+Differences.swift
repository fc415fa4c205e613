/// Square-and-add ("hybrid score") intervals for a difference of two proportions, built from Wilson intervals.
///
/// Newcombe combines the distances from each estimate to its Wilson bounds, the way variances add; for paired data a
/// correlation term accounts for the pairing. Used by ``EffectSizes/differenceOfProportions(successes1:trials1:successes2:trials2:level:)``
/// and ``HypothesisTests/mcnemar(_:_:level:)``.
extension Intervals {
    /// Newcombe's method 10 for independent proportions p₁ = k₁/n₁ and p₂ = k₂/n₂, with Wilson bounds (lᵢ, uᵢ):
    /// [θ̂ − √((p₁ − l₁)² + (u₂ − p₂)²), θ̂ + √((u₁ − p₁)² + (p₂ − l₂)²)], θ̂ = p₁ − p₂.
    ///
    /// Reference: Newcombe, "Interval estimation for the difference between independent proportions: comparison
    /// of eleven methods", *Statistics in Medicine* 17 (1998) 873–890, method 10.
    static func newcombeIndependent(k1: Int, n1: Int, k2: Int, n2: Int, z: Double) -> (
        estimate: Double, interval: Interval
    ) {
        let p1 = Double(k1) / Double(n1)
        let p2 = Double(k2) / Double(n2)
        let w1 = wilsonBounds(successes: k1, trials: n1, z: z)
        let w2 = wilsonBounds(successes: k2, trials: n2, z: z)
        let estimate = p1 - p2
        let below = squareAndAdd(p1 - w1.lower, w2.upper - p2, correlation: 0)
        let above = squareAndAdd(w1.upper - p1, p2 - w2.lower, correlation: 0)
        return (estimate, clampedDifference(estimate: estimate, below: below, above: above))
    }

    /// Newcombe's method 10 for the difference of paired proportions p₁ − p₂ from a paired 2×2 table.
    ///
    /// Cells: `a` both successes, `b` success on the first measure only, `c` success on the second only, `d`
    /// neither; N = a + b + c + d, p₁ = (a + b)/N, p₂ = (a + c)/N, θ̂ = (b − c)/N. With the Wilson bounds
    /// (l₁, u₁), (l₂, u₂) of p₁ and p₂:
    /// L = θ̂ − √((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²),
    /// U = θ̂ + √((p₂ − l₂)² − 2φ(p₂ − l₂)(u₁ − p₁) + (u₁ − p₁)²),
    /// where φ is the continuity-corrected phi coefficient: with A = ad − bc and P the product of the four
    /// marginal totals, φ = (A − N/2)/√P if A > N/2, 0 if 0 ≤ A ≤ N/2, A/√P if A < 0, and 0 when a marginal total
    /// is 0. References: Newcombe, "Improved confidence intervals for the difference between binomial proportions
    /// based on paired data", *Statistics in Medicine* 17 (1998) 2635–2650, method 10; Fagerland, Lydersen & Laake,
    /// *Statistical Analysis of Contingency Tables* (2017), chapter 8 ("Newcombe square-and-add interval").
    static func newcombePaired(a: Int, b: Int, c: Int, d: Int, z: Double) -> (estimate: Double, interval: Interval) {
        let total = a + b + c + d
        let nn = Double(total)
        let p1 = Double(a + b) / nn
        let p2 = Double(a + c) / nn
        let w1 = wilsonBounds(successes: a + b, trials: total, z: z)
        let w2 = wilsonBounds(successes: a + c, trials: total, z: z)
        let estimate = Double(b - c) / nn
        var phi = 0.0
        let margins = [a + b, c + d, a + c, b + d]
        if margins.allSatisfy({ $0 > 0 }) {
            let product = margins.reduce(1.0) { $0 * Double($1) }
            let cross = Double(a) * Double(d) - Double(b) * Double(c)
            if cross > nn / 2 {
                phi = (cross - nn / 2) / product.squareRoot()
            } else if cross < 0 {
                phi = cross / product.squareRoot()
            }
        }
        let below = squareAndAdd(p1 - w1.lower, w2.upper - p2, correlation: phi)
        let above = squareAndAdd(p2 - w2.lower, w1.upper - p1, correlation: phi)
        return (estimate, clampedDifference(estimate: estimate, below: below, above: above))
    }

    /// √(u² − 2ρuv + v²), never NaN (the radicand is ≥ 0 for |ρ| ≤ 1 up to rounding).
    private static func squareAndAdd(_ u: Double, _ v: Double, correlation rho: Double) -> Double {
        max(u * u - 2 * rho * u * v + v * v, 0).squareRoot()
    }

    /// [estimate − below, estimate + above], kept inside [−1, 1] where a difference of proportions lives.
    private static func clampedDifference(estimate: Double, below: Double, above: Double) -> Interval {
        Interval(lower: max(estimate - below, -1), upper: min(estimate + above, 1))
    }
}
