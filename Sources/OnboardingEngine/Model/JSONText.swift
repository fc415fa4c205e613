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

    /// Parses a JSON array of strings as written by ``stringArray(_:)`` (and by SQLite's json functions): RFC 8259
    /// string escapes including surrogate pairs; nil for anything else, trailing text included.
    public static func parseStringArray(_ text: String) -> [String]? {
        var chars = Array(text.unicodeScalars)[...]
        func skipSpace() {
            while let c = chars.first, c == " " || c == "\n" || c == "\t" || c == "\r" { chars = chars.dropFirst() }
        }
        func hex4() -> UInt32? {
            guard chars.count >= 4 else { return nil }
            let digits = String(String.UnicodeScalarView(chars.prefix(4)))
            chars = chars.dropFirst(4)
            return UInt32(digits, radix: 16)
        }
        func string() -> String? {
            guard chars.first == "\"" else { return nil }
            chars = chars.dropFirst()
            var s = String.UnicodeScalarView()
            while let c = chars.first, c != "\"" {
                chars = chars.dropFirst()
                guard c == "\\" else {
                    guard c.value >= 0x20 else { return nil }
                    s.append(c)
                    continue
                }
                guard let e = chars.first else { return nil }
                chars = chars.dropFirst()
                switch e {
                case "\"", "\\", "/": s.append(e)
                case "b": s.append("\u{8}")
                case "f": s.append("\u{C}")
                case "n": s.append("\n")
                case "r": s.append("\r")
                case "t": s.append("\t")
                case "u":
                    guard var v = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(v) {
                        guard chars.first == "\\", chars.dropFirst().first == "u" else { return nil }
                        chars = chars.dropFirst(2)
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(v) else { return nil }
                    s.append(u)
                default: return nil
                }
            }
            guard chars.first == "\"" else { return nil }
            chars = chars.dropFirst()
            return String(s)
        }
        skipSpace()
        guard chars.first == "[" else { return nil }
        chars = chars.dropFirst()
        skipSpace()
        var result: [String] = []
        if chars.first == "]" {
            chars = chars.dropFirst()
        } else {
            while true {
                skipSpace()
                guard let item = string() else { return nil }
                result.append(item)
                skipSpace()
                if chars.first == "," {
                    chars = chars.dropFirst()
                    continue
                }
                guard chars.first == "]" else { return nil }
                chars = chars.dropFirst()
                break
            }
        }
        skipSpace()
        return chars.isEmpty ? result : nil
    }
}
