/// The value of one engine or governance setting, as swept, overridden or written to `configs.csv`.
///
/// `description` is the canonical text used in CSV and JSON outputs: integers without a fractional part, doubles in
/// their shortest round-trip form (Swift's `Double.description`, with `.0` added before an exponent so YAML 1.1
/// readers also see a float: `0.1`, `100.0`, `1.0e-05`), booleans as `true`/`false`, strings as they are.
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case string(String)

    /// Reads a value typed on a command line: `true`/`false`, then an integer, then a finite number, else a string.
    ///
    /// The result is not yet checked against a setting: `Scenario.applying(_:)` converts an integer given for a
    /// number setting (and an integral number given for an integer setting) and rejects other mismatches.
    public init(parsing text: String) {
        if text == "true" {
            self = .bool(true)
        } else if text == "false" {
            self = .bool(false)
        } else if let integer = Int(text) {
            self = .integer(integer)
        } else if let number = Double(text), number.isFinite {
            self = .number(number)
        } else {
            self = .string(text)
        }
    }

    public var description: String {
        switch self {
        case .number(let value): return SettingValue.format(value)
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .string(let value): return value
        }
    }

    /// The value as a `Double` when it is a number or an integer.
    public var doubleValue: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case .bool, .string: return nil
        }
    }

    /// The value as an `Int` when it is an integer, or a number with no fractional part that fits in an `Int`.
    public var intValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value): return Int(exactly: value)
        case .bool, .string: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The shortest text that reads back as exactly `value`, always recognisable as a float by YAML 1.1 readers.
    static func format(_ value: Double) -> String {
        var text = value.description
        if let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }), !text[..<exponent].contains(".") {
            text.insert(contentsOf: ".0", at: exponent)
        }
        return text
    }

    /// How a diagnostic names this value when it has the wrong type: `number 0.5`, `string 'abc'`.
    var foundDescription: String {
        switch self {
        case .number: return "number \(description)"
        case .integer: return "integer \(description)"
        case .bool: return "boolean \(description)"
        case .string(let value): return "string '\(value)'"
        }
    }
}

extension SettingValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral
{
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
