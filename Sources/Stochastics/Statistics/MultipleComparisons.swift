/// Adjustments of p-values for a family of tests.
public enum MultipleComparisons {
    /// Holm's step-down adjusted p-values, in the order of the input.
    ///
    /// With the m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of p₍ᵢ₎ is
    /// min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎): monotone in the sorted order, never below the raw value, capped at 1.
    /// Rejecting every hypothesis whose adjusted p-value is ≤ α controls the family-wise error rate at α under any
    /// dependence. Equal p-values get equal adjusted values. Reference: Holm, "A simple sequentially rejective
    /// multiple test procedure", *Scandinavian Journal of Statistics* 6 (1979) 65–70. O(m log m).
    ///
    /// The result is NaN-free: a NaN input counts as 1 (no evidence) and inputs are clamped to [0, 1]. An empty
    /// input gives an empty result.
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        guard m > 0 else { return [] }
        let clean = p.map { $0.isNaN ? 1 : min(max($0, 0), 1) }
        let order = clean.indices.sorted { clean[$0] < clean[$1] || (clean[$0] == clean[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (position, index) in order.enumerated() {
            running = max(running, min(1, Double(m - position) * clean[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
