import Foundation

/// Number and string formatting of the calibrated scenario's YAML.
enum Format {
    /// `value` with at most `digits` decimals, trailing zeros dropped but one decimal kept (`0.25`, `3.0`): a YAML
    /// float every reader resolves the same way.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "0.0" }
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text += "0" }
        }
        if text == "-0.0" { text = "0.0" }
        return text
    }

    /// A p-value with its relation: `= 0.123456` (6 decimals), or `< 0.000001`.
    static func pValue(_ p: Double) -> String {
        p < 1e-6 ? "< 0.000001" : "= " + fixed(p, 6)
    }

    /// A double-quoted YAML scalar (JSON escapes are valid in YAML double-quoted strings).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// The engine clock's minute as ISO 8601 UTC (`2026-11-27T09:30Z`).
    static func iso(minute: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(minute) * 60)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
