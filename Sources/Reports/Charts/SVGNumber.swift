/// Locale-independent decimal text for SVG coordinates and labels: the same value always gives the same bytes.
///
/// Foundation's `String(format:)` and number formatters are avoided on purpose; digits come from integer arithmetic.
enum SVGNumber {
    /// `value` rounded half away from zero to `decimals` places (0...9), always with that many decimals.
    ///
    /// Non-finite values give `0`; magnitudes beyond 9·10¹⁵ scaled units fall back to Swift's shortest description.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let places = min(max(decimals, 0), 9)
        guard value.isFinite else { return places == 0 ? "0" : "0." + String(repeating: "0", count: places) }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let magnitude = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        guard magnitude < 9.0e15 else { return value.description }
        let units = Int64(magnitude)
        let sign = value < 0 && units != 0 ? "-" : ""
        let whole = String(units / scale)
        guard places > 0 else { return sign + whole }
        let fraction = String(units % scale)
        return sign + whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// `value` with at most `decimals` places and no trailing zeros (`12.5`, `3`, `-0.25`): SVG coordinates.
    static func compact(_ value: Double, decimals: Int = 2) -> String {
        var text = fixed(value, decimals: decimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
