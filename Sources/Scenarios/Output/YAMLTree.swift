import Yams

/// A small YAML tree with a deterministic text form: block style by default, flow style where asked.
indirect enum YAMLTree {
    /// Already formatted scalar text (see the `YAMLTree.string`, `.number`… builders).
    case scalar(String)
    case sequence([YAMLTree], flow: Bool)
    case mapping([(key: String, value: YAMLTree)], flow: Bool)

    static func string(_ value: String) -> YAMLTree { .scalar(YAMLTree.quoted(value)) }
    static func number(_ value: Double) -> YAMLTree { .scalar(SettingValue.format(value)) }
    static func integer(_ value: Int) -> YAMLTree { .scalar(String(value)) }
    static func integer(_ value: UInt64) -> YAMLTree { .scalar(String(value)) }
    static func bool(_ value: Bool) -> YAMLTree { .scalar(value ? "true" : "false") }

    static func setting(_ value: SettingValue) -> YAMLTree {
        switch value {
        case .number(let number): return .number(number)
        case .integer(let integer): return .integer(integer)
        case .bool(let bool): return .bool(bool)
        case .string(let string): return .string(string)
        }
    }

    /// The text, one line per entry, ending with a newline.
    func render() -> String {
        lines(indent: 0).map { $0 + "\n" }.joined()
    }

    private var isInline: Bool {
        switch self {
        case .scalar: return true
        case .sequence(let items, let flow): return flow || items.isEmpty
        case .mapping(let entries, let flow): return flow || entries.isEmpty
        }
    }

    private func lines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .scalar, .sequence(_, flow: true), .mapping(_, flow: true):
            return [pad + inline()]
        case .sequence(let items, flow: false):
            if items.isEmpty { return [pad + "[]"] }
            return items.flatMap { item -> [String] in
                if item.isInline { return [pad + "- " + item.inline()] }
                var nested = item.lines(indent: indent + 2)
                if case .mapping = item, let first = nested.first {
                    nested[0] = pad + "- " + first.dropFirst(indent + 2)
                    return nested
                }
                return [pad + "-"] + nested
            }
        case .mapping(let entries, flow: false):
            if entries.isEmpty { return [pad + "{}"] }
            return entries.flatMap { entry -> [String] in
                let key = YAMLTree.quoted(entry.key)
                if entry.value.isInline { return [pad + key + ": " + entry.value.inline()] }
                return [pad + key + ":"] + entry.value.lines(indent: indent + 2)
            }
        }
    }

    private func inline() -> String {
        switch self {
        case .scalar(let text): return text
        case .sequence(let items, _): return "[" + items.map { $0.inline() }.joined(separator: ", ") + "]"
        case .mapping(let entries, _):
            return "{" + entries.map { YAMLTree.quoted($0.key) + ": " + $0.value.inline() }.joined(separator: ", ")
                + "}"
        }
    }

    /// The string as a plain scalar when that is unambiguous (letters, digits, `_ - . /`, starting with a letter or
    /// `_`, and read back as a string by YAML 1.1 resolvers such as Yams and PyYAML); double-quoted otherwise.
    static func quoted(_ value: String) -> String {
        let plainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./")
        if let first = value.first, first.isLetter || first == "_", first.isASCII,
            value.allSatisfy({ plainCharacters.contains($0) }),
            Node(value).tagName == .str
        {
            return value
        }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            case "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}":
                text +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16).uppercased()
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16).uppercased()
                    text += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }
}
