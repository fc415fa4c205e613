import OnboardingEngine

/// The type a scalar value must have.
enum ValueKind: Sendable {
    case number
    case integer
    case boolean
    case string

    /// "a number", "an integer"… as used in "expected a number, found string 'abc'".
    var expected: String {
        switch self {
        case .number: return "a number"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        case .string: return "a string"
        }
    }
}

/// A range or membership rule on a scalar value.
enum ValueRule: Sendable {
    case any
    /// In [0, 1].
    case probability
    /// Greater than 0.
    case positive
    /// At least the bound (for integers and numbers).
    case atLeast(Int)
    /// Within the closed range (for integers and numbers).
    case within(ClosedRange<Int>)
    /// One of the listed strings.
    case oneOf([String])
    /// Within the interval (for integers and numbers); the reason names the range.
    case range(SettingRange)

    /// Converts `value` to `kind` (an integer is a valid number; an integral number a valid integer) and checks the
    /// rule; the failure is the diagnostic's reason.
    func check(_ value: SettingValue, as kind: ValueKind) -> Result<SettingValue, ValueProblem> {
        let converted: SettingValue
        switch (kind, value) {
        case (.number, .number), (.integer, .integer), (.boolean, .bool), (.string, .string):
            converted = value
        case (.number, .integer(let integer)):
            converted = .number(Double(integer))
        case (.integer, .number(let number)) where number.rounded() == number:
            guard let integer = Int(exactly: number) else {
                if case .range(let range) = self {
                    return .failure(ValueProblem("must be \(range.phrase), found \(value)"))
                }
                return .failure(ValueProblem("integer \(value) is out of range"))
            }
            converted = .integer(integer)
        default:
            var reason = "expected \(kind.expected), found \(value.foundDescription)"
            if kind == .string { reason += " (put it in quotes to use it as text)" }
            return .failure(ValueProblem(reason))
        }
        if let reason = problem(with: converted, written: value) { return .failure(ValueProblem(reason)) }
        return .success(converted)
    }

    /// What is wrong with `value` (already converted); `written` is the value as given, quoted in the reason.
    private func problem(with value: SettingValue, written: SettingValue) -> String? {
        switch self {
        case .any:
            return nil
        case .probability:
            guard let number = value.doubleValue, !(0...1).contains(number) else { return nil }
            return "must be between 0 and 1, found \(written)"
        case .positive:
            guard let number = value.doubleValue, !(number > 0) else { return nil }
            return "must be greater than 0, found \(written)"
        case .atLeast(let bound):
            guard let number = value.doubleValue, number < Double(bound) else { return nil }
            return "must be at least \(bound), found \(written)"
        case .within(let range):
            guard let number = value.doubleValue,
                !(Double(range.lowerBound)...Double(range.upperBound)).contains(number)
            else { return nil }
            return "must be between \(range.lowerBound) and \(range.upperBound), found \(written)"
        case .range(let range):
            guard let number = value.doubleValue, !range.contains(number) else { return nil }
            return "must be \(range.phrase), found \(written)"
        case .oneOf(let allowed):
            guard let text = value.stringValue, !allowed.contains(text) else { return nil }
            var reason = "'\(text)' is not one of \(allowed.joined(separator: ", "))"
            if let suggestion = Suggestion.closest(to: text, among: allowed) {
                reason += " (did you mean '\(suggestion)'?)"
            }
            return reason
        }
    }
}

/// Why a value was rejected.
struct ValueProblem: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
