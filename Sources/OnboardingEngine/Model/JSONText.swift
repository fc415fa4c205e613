/// A small JSON writer with sorted keys and shortest round-trip numbers, so payloads are byte-stable.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    public func write(into out: inout String) {
        switch self {
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .number(let d):
            out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : "\(d)") : "null"
        case .integer(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let dict):
            out += "{"
            for (i, key) in dict.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, into: &out)
                out += ":"
                dict[key]?.write(into: &out)
            }
            out += "}"
        }
    }

    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// JSON array text of strings (steps, completed steps).
    public static func stringArray(_ items: [String]) -> String { JSONValue.array(items.map { .string($0) }).text }

    /// Parses a JSON array of strings as written by ``stringArray(_:)`` (and by SQLite's json functions).
    public static func parseStringArray(_ text: String) -> [String]? {
        var result: [String] = []
        var chars = Array(text.unicodeScalars)[...]
        func skipSpace() {
            while let c = chars.first, c == " " || c == "\n" || c == "\t" || c == "\r" { chars = chars.dropFirst() }
        }
        skipSpace()
        guard chars.first == "[" else { return nil }
        chars = chars.dropFirst()
        skipSpace()
        if chars.first == "]" { return [] }
        while true {
            skipSpace()
            guard chars.first == "\"" else { return nil }
            chars = chars.dropFirst()
            var s = String.UnicodeScalarView()
            while let c = chars.first, c != "\"" {
                chars = chars.dropFirst()
                if c == "\\" {
                    guard let e = chars.first else { return nil }
                    chars = chars.dropFirst()
                    switch e {
                    case "n": s.append("\n")
                    case "r": s.append("\r")
                    case "t": s.append("\t")
                    case "u":
                        let hex = String(String.UnicodeScalarView(chars.prefix(4)))
                        chars = chars.dropFirst(4)
                        guard let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) else { return nil }
                        s.append(u)
                    default: s.append(e)
                    }
                } else {
                    s.append(c)
                }
            }
            guard chars.first == "\"" else { return nil }
            chars = chars.dropFirst()
            result.append(String(s))
            skipSpace()
            if chars.first == "," {
                chars = chars.dropFirst()
                continue
            }
            if chars.first == "]" { return result }
            return nil
        }
    }
}
