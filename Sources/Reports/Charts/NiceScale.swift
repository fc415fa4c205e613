/// An axis scale with round tick steps (1, 2, 2.5 or 5 × 10ⁿ) and their labels.
///
/// The step is the smallest candidate that covers the data in at most `maxIntervals` intervals, so 0…1137 with six
/// intervals gives 0, 200, …, 1200. The candidates are Heckbert's 1, 2, 5 (P. Heckbert, "Nice numbers for graph
/// labels", Graphics Gems, 1990) plus 2.5; unlike his loose labelling, the step is searched rather than derived from a
/// rounded range, so the axis wastes at most one step. Labels are exact decimal text built from integers (no locale,
/// no binary rounding noise); when the largest tick reaches 10 000 they switch to `k` (or `M` from 10⁷).
struct NiceScale: Equatable {
    /// The lower end of the axis (the first tick when extended to ticks, else the data minimum).
    private(set) var lower: Double
    /// The upper end of the axis.
    private(set) var upper: Double
    private(set) var step: Double
    /// Tick values inside `lower...upper`, increasing.
    private(set) var ticks: [Double]
    /// One label per tick.
    private(set) var labels: [String]

    static let mantissas = [10, 20, 25, 50]

    /// - Parameters:
    ///   - integerSteps: only whole-number steps (days).
    ///   - extendToTicks: widen the axis to the enclosing ticks; otherwise the axis ends at the data and only ticks
    ///     inside it are kept.
    init(
        lower dataLower: Double, upper dataUpper: Double, maxIntervals: Int = 6, integerSteps: Bool = false,
        extendToTicks: Bool = true
    ) {
        func sane(_ v: Double) -> Double { abs(v) < 1e-12 ? 0 : Swift.min(Swift.max(v, -1e15), 1e15) }
        var lo = sane(dataLower.isFinite ? dataLower : 0)
        var hi = sane(dataUpper.isFinite ? dataUpper : lo + 1)
        if lo > hi { swap(&lo, &hi) }
        if hi - lo <= Swift.max(abs(lo), abs(hi)) * 1e-12 {
            let pad = integerSteps ? 0.5 : (lo == 0 ? 1 : abs(lo) * 0.1)
            lo -= pad
            hi += pad
        }
        let intervalsAllowed = Swift.max(1, maxIntervals)
        var exponent = Int(Self.log10Floor((hi - lo) / Double(intervalsAllowed))) - 1
        var chosen: (mantissa: Int, exponent: Int, first: Int, last: Int)? = nil
        search: for _ in 0..<64 {
            for mantissa in Self.mantissas {
                let step = Self.value(mantissa, exponent)
                if integerSteps && (step < 1 || step != step.rounded()) { continue }
                let first = Int((lo / step + 1e-9).rounded(.down))
                let last = Int((hi / step - 1e-9).rounded(.up))
                if last - first <= intervalsAllowed {
                    chosen = (mantissa, exponent, first, Swift.max(last, first + 1))
                    break search
                }
            }
            exponent += 1
        }
        // The search ends within two decades of the start; the fallback only guards against pathological input.
        let pick = chosen ?? (10, exponent, 0, 1)
        let step = Self.value(pick.mantissa, pick.exponent)
        self.step = step
        var indices = Array(pick.first...pick.last)
        if extendToTicks {
            lower = Self.value(pick.first * pick.mantissa, pick.exponent)
            upper = Self.value(pick.last * pick.mantissa, pick.exponent)
        } else {
            lower = lo
            upper = hi
            indices = indices.filter { k in
                let v = Self.value(k * pick.mantissa, pick.exponent)
                return v >= lo - step * 1e-9 && v <= hi + step * 1e-9
            }
        }
        let ticks = indices.map { Self.value($0 * pick.mantissa, pick.exponent) }
        self.ticks = ticks
        let largest = ticks.map(abs).max() ?? 0
        let (shift, suffix) = largest >= 1e7 ? (6, "M") : largest >= 1e4 ? (3, "k") : (0, "")
        let labelExponent = pick.exponent - shift
        let decimals = Swift.max(0, -(labelExponent + Self.trailingZeros(pick.mantissa)))
        labels = indices.map {
            Self.decimalText($0 * pick.mantissa, exponent: labelExponent, decimals: decimals) + suffix
        }
    }

    /// The position of `value` on a pixel range (`from` at `lower`, `to` at `upper`).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        let span = upper - lower
        guard span > 0 else { return (start + end) / 2 }
        return start + (value - lower) / span * (end - start)
    }

    /// n × 10^exponent, exactly rounded (division by an exact power of ten for negative exponents).
    static func value(_ n: Int, _ exponent: Int) -> Double {
        var power = 1.0
        for _ in 0..<abs(exponent) { power *= 10 }
        return exponent >= 0 ? Double(n) * power : Double(n) / power
    }

    /// ⌊log₁₀ x⌋ for a positive x, 0 otherwise.
    static func log10Floor(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0 }
        var e = 0.0
        var v = x
        while v >= 10 {
            v /= 10
            e += 1
        }
        while v < 1 {
            v *= 10
            e -= 1
        }
        return e
    }

    static func trailingZeros(_ n: Int) -> Int {
        var count = 0
        var v = n
        while v != 0 && v % 10 == 0 {
            v /= 10
            count += 1
        }
        return count
    }

    /// n × 10^exponent written with `decimals` places (those cut off are zeros by construction).
    static func decimalText(_ n: Int, exponent: Int, decimals: Int) -> String {
        let sign = n < 0 ? "-" : ""
        let magnitude = n.magnitude
        if exponent >= 0 {
            var text = String(magnitude)
            if magnitude != 0 { text += String(repeating: "0", count: exponent) }
            return sign + text
        }
        let places = -exponent
        var digits = String(magnitude)
        if digits.count <= places { digits = String(repeating: "0", count: places + 1 - digits.count) + digits }
        let whole = digits.prefix(digits.count - places)
        let fraction = digits.suffix(places).prefix(decimals)
        let text = decimals > 0 ? whole + "." + fraction : String(whole)
        return magnitude == 0 ? text : sign + text
    }
}
