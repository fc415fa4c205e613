import Stochastics
import Testing

/// Holm (1979) by hand. Tolerance 1e-12 relative (one multiplication per value).
///
/// The hand computations are checked with this NumPy snippet (numpy 2.4.6):
/// ```python
/// def holm(p):
///     p = np.asarray(p, float); m = len(p); o = np.argsort(p, kind='stable')
///     adj = np.minimum(1, np.maximum.accumulate((m - np.arange(m)) * p[o])); out = np.empty(m); out[o] = adj
///     return out.tolist()
/// holm([0.01, 0.04, 0.03, 0.005])           # [0.03, 0.06, 0.06, 0.02]
/// holm([0.2, 0.01, 0.5, 0.01, 0.04, 0.9])   # [0.6000000000000001, 0.06, 1.0, 0.06, 0.16, 1.0]
/// ```
@Suite("Multiple comparisons")
struct MultipleComparisonsTests {
    /// m = 4. Sorted: 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → raised to 0.06 by
    /// monotonicity. In input order: [0.03, 0.06, 0.06, 0.02].
    @Test func holmHandWorkedExample() {
        let adjusted = MultipleComparisons.holm([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) {
            expectClose(value, expected, rel: 1e-12, "Holm")
        }
        #expect(adjusted.count == 4)
    }

    /// m = 6 with a tie and the cap at 1. Sorted: 0.01·6 = 0.06; 0.01·5 = 0.05 → 0.06; 0.04·4 = 0.16;
    /// 0.2·3 = 0.6; 0.5·2 = 1.0; 0.9·1 = 0.9 → 1.0.
    @Test func holmTiesAndCap() {
        let adjusted = MultipleComparisons.holm([0.2, 0.01, 0.5, 0.01, 0.04, 0.9])
        for (value, expected) in zip(adjusted, [0.6000000000000001, 0.06, 1.0, 0.06, 0.16, 1.0]) {
            expectClose(value, expected, rel: 1e-12, "Holm")
        }
    }

    /// Documented edge cases (exact): empty input, one p-value (unchanged), NaN counted as 1, clamping.
    @Test func holmEdgeCases() {
        #expect(MultipleComparisons.holm([]) == [])
        #expect(MultipleComparisons.holm([0.03]) == [0.03])
        #expect(MultipleComparisons.holm([.nan, 0.01]) == [1, 0.02])
        #expect(MultipleComparisons.holm([-0.5, 2]) == [0, 1])
    }

    /// Invariants on arbitrary input: adjusted ≥ raw, ≤ 1, and monotone in the order of the raw values.
    @Test func holmInvariants() {
        let stream = RandomStream(seed: 1979)
        for _ in 0..<200 {
            let p = (0..<(1 + stream.uniformInt(12))).map { _ in stream.uniform() }
            let adjusted = MultipleComparisons.holm(p)
            for i in p.indices {
                #expect(adjusted[i] >= p[i] && adjusted[i] <= 1)
                for j in p.indices where p[i] < p[j] { #expect(adjusted[i] <= adjusted[j]) }
            }
        }
    }
}
