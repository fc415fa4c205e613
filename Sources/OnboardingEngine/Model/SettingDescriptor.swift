/// One engine setting, described once: its scenario path, database key, type, unit, allowed range, default and
/// where it lives in ``EngineSettings``.
///
/// ``EngineSettings/table`` is the only list of settings. Scenario validation, `--set`, `engine settings`, the
/// scenario → engine mapping, the resolved YAML, the `engine_settings` default rows and the JSON Schema's
/// `engine`/`governance` blocks are all derived from it.
public struct SettingDescriptor: Sendable {
    /// The type of a setting's value.
    public enum Kind: Sendable, Equatable {
        case number
        case integer
        case boolean
        /// A string that must be one of the listed values.
        case choice([String])
    }

    /// Where the value lives. Key paths are `& Sendable` so the table is a constant shared by every thread.
    public enum Field: Sendable {
        case number(WritableKeyPath<EngineSettings, Double> & Sendable)
        case integer(WritableKeyPath<EngineSettings, Int> & Sendable)
        case boolean(WritableKeyPath<EngineSettings, Bool> & Sendable)
        case text(WritableKeyPath<EngineSettings, String> & Sendable)
        /// A setting of the simulated world, not of the engine (no database key): its default is given here.
        case simulation(default: Double)
        /// A registered policy's own number or integer setting (``RegisteredPolicy/settings``), stored in
        /// ``EngineSettings/policyParameters`` under the descriptor's key; absent means this default. Needs a key.
        case parameter(default: Double)
    }

    /// The scenario path (`engine.epsilon`, `governance.max_epsilon`); also the `--set` and sweep key.
    public let path: String
    /// The `engine_settings` key, `nil` for a simulation-only setting (`engine.job_failure_rate`).
    public let key: String?
    public let kind: Kind
    /// The unit in words (`share`, `days`, `minutes`, `users`, `weight`…), for help and the schema.
    public let unit: String
    /// The allowed values of a number or integer setting (`nil` for booleans and choices).
    public let range: SettingRange?
    /// One sentence for the schema and help.
    public let summary: String
    public let field: Field

    init(
        _ path: String, key: String?, _ kind: Kind, unit: String = "", range: SettingRange? = nil, _ field: Field,
        _ summary: String
    ) {
        self.path = path
        self.key = key
        self.kind = kind
        self.unit = unit
        self.range = range
        self.summary = summary
        self.field = field
    }

    /// The seed's value (``EngineSettings/init()``'s, or the simulation default).
    public var defaultValue: SettingScalar { value(in: EngineSettings()) }

    /// The value of this setting in `settings` (booleans as integer 0/1, as stored).
    public func value(in settings: EngineSettings) -> SettingScalar {
        switch field {
        case .number(let path): return .real(settings[keyPath: path])
        case .integer(let path): return .integer(settings[keyPath: path])
        case .boolean(let path): return .integer(settings[keyPath: path] ? 1 : 0)
        case .text(let path): return .text(settings[keyPath: path])
        case .simulation(let value): return .real(value)
        case .parameter(let fallback):
            let value = key.flatMap { settings.policyParameters[$0] } ?? fallback
            return kind == .integer ? .integer(Int(value)) : .real(value)
        }
    }

    /// The value of a number or integer setting in `settings` as a Double (how a policy reads its own
    /// `.parameter` settings); nil for booleans and choices.
    public func number(in settings: EngineSettings) -> Double? {
        switch value(in: settings) {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        case .text: return nil
        }
    }

    /// Stores a value already checked by ``check(text:)`` (or a scenario's checked value); a simulation-only
    /// setting is not stored in `EngineSettings`.
    public func set(_ value: SettingScalar, in settings: inout EngineSettings) {
        switch (field, value) {
        case (.number(let path), .real(let v)): settings[keyPath: path] = v
        case (.number(let path), .integer(let v)): settings[keyPath: path] = Double(v)
        case (.integer(let path), .integer(let v)): settings[keyPath: path] = v
        case (.boolean(let path), .integer(let v)): settings[keyPath: path] = v != 0
        case (.text(let path), .text(let v)): settings[keyPath: path] = v
        case (.parameter, .real(let v)): if let key { settings.policyParameters[key] = v }
        case (.parameter, .integer(let v)): if let key { settings.policyParameters[key] = Double(v) }
        default: break
        }
    }

    /// The value written as text (command line, database), parsed and checked against the type and range.
    /// The failure is the reason, naming the value and the allowed range.
    public func check(text: String) -> Result<SettingScalar, SettingProblem> {
        switch kind {
        case .number:
            guard let v = Double(text), v.isFinite else {
                return .failure(SettingProblem("expected a number, found '\(text)'"))
            }
            return checkRange(v, written: text).map { .real(v) }
        case .integer:
            let parsed = Int(text) ?? Double(text).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
            guard let v = parsed else {
                if let number = Double(text), number.isFinite, number == number.rounded(), let range {
                    return .failure(SettingProblem("must be \(range.phrase), found \(text)"))
                }
                return .failure(SettingProblem("expected an integer, found '\(text)'"))
            }
            return checkRange(Double(v), written: text).map { .integer(v) }
        case .boolean:
            switch text.lowercased() {
            case "1", "true": return .success(.integer(1))
            case "0", "false": return .success(.integer(0))
            default: return .failure(SettingProblem("expected true or false, found '\(text)'"))
            }
        case .choice(let allowed):
            guard allowed.contains(text) else {
                return .failure(SettingProblem("expected one of \(allowed.joined(separator: ", ")), found '\(text)'"))
            }
            return .success(.text(text))
        }
    }

    /// Why `value` is outside ``range``, or `nil` when it is inside (or there is no range).
    public func rangeProblem(_ value: Double, written: String) -> String? {
        guard let range, !range.contains(value) else { return nil }
        return "must be \(range.phrase), found \(written)"
    }

    private func checkRange(_ value: Double, written: String) -> Result<Void, SettingProblem> {
        if let reason = rangeProblem(value, written: written) { return .failure(SettingProblem(reason)) }
        return .success(())
    }
}

/// Why a setting's value was rejected.
public struct SettingProblem: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
