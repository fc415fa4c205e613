import OnboardingEngine

/// Pretty JSON text of a ``JSONValue``: keys sorted, two-space indent, arrays of scalars on one line, a final
/// newline. Numbers and strings are written by `JSONValue` itself, so the text is byte-stable.
enum JSONOutput {
    static func text(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closingPad = String(repeating: "  ", count: indent)
        switch value {
        case .array(let items) where items.isEmpty:
            out += "[]"
        case .array(let items) where items.allSatisfy(\.isScalar):
            value.write(into: &out)
        case .array(let items):
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 1, into: &out)
                out += i < items.count - 1 ? ",\n" : "\n"
            }
            out += closingPad + "]"
        case .object(let members) where members.isEmpty:
            out += "{}"
        case .object(let members):
            out += "{\n"
            let keys = members.keys.sorted()
            for (i, key) in keys.enumerated() {
                out += pad
                JSONValue.writeString(key, into: &out)
                out += ": "
                if let member = members[key] { write(member, indent: indent + 1, into: &out) }
                out += i < keys.count - 1 ? ",\n" : "\n"
            }
            out += closingPad + "}"
        default:
            value.write(into: &out)
        }
    }
}

extension JSONValue {
    fileprivate var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}

extension TableFormatter {
    /// The rows as JSON objects keyed by column name.
    var jsonRows: JSONValue {
        .array(
            rows.map { row in
                .object(Dictionary(uniqueKeysWithValues: zip(columns.map(\.name), row.map(\.jsonValue))))
            })
    }
}

extension TableFormatter.Cell {
    var jsonValue: JSONValue {
        switch self {
        case .text(let s): return .string(s)
        case .integer(let i): return .integer(i)
        case .real(let d): return .number(d)
        case .bool(let b): return .bool(b)
        case .time(let m): return .integer(m)
        case .missing: return .null
        }
    }
}
