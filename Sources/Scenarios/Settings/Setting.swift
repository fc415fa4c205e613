import OnboardingEngine

/// A sweepable setting of a scenario: one row of the engine's settings table (``EngineSettings/table``), seen
/// with the scenario's value types and rules.
///
/// The table's order is the order of `Scenario.settingPaths`, of the keys allowed in the `engine` and
/// `governance` blocks and of the resolved YAML.
struct Setting: Sendable {
    let descriptor: SettingDescriptor

    /// The setting at a scenario path, or `nil`.
    init?(rawValue path: String) {
        guard let descriptor = EngineSettings.descriptor(path: path) else { return nil }
        self.descriptor = descriptor
    }

    init(_ descriptor: SettingDescriptor) { self.descriptor = descriptor }

    static var allCases: [Setting] { EngineSettings.table.map(Setting.init) }

    var path: String { descriptor.path }

    var kind: ValueKind {
        switch descriptor.kind {
        case .number: return .number
        case .integer: return .integer
        case .boolean: return .boolean
        case .choice: return .string
        }
    }

    var rule: ValueRule {
        if case .choice(let allowed) = descriptor.kind { return .oneOf(allowed) }
        if let range = descriptor.range { return .range(range) }
        return .any
    }

    /// The value with the setting's type, checked against its rule.
    func check(_ value: SettingValue) -> Result<SettingValue, ValueProblem> {
        rule.check(value, as: kind)
    }

    func value(in scenario: Scenario) -> SettingValue {
        if case .simulation = descriptor.field { return .number(scenario.jobFailureRate) }
        switch (descriptor.kind, descriptor.value(in: scenario.engine)) {
        case (.boolean, .integer(let v)): return .bool(v != 0)
        case (_, .real(let v)): return .number(v)
        case (_, .integer(let v)): return .integer(v)
        case (_, .text(let v)): return .string(v)
        }
    }

    /// Stores a value already converted by `check(_:)`; a value of another type leaves the setting unchanged.
    func set(_ value: SettingValue, in scenario: inout Scenario) {
        if case .simulation = descriptor.field {
            if let number = value.doubleValue { scenario.jobFailureRate = number }
            return
        }
        let scalar: SettingScalar
        switch value {
        case .number(let v): scalar = .real(v)
        case .integer(let v): scalar = descriptor.kind == .number ? .real(Double(v)) : .integer(v)
        case .bool(let v): scalar = .integer(v ? 1 : 0)
        case .string(let v): scalar = .text(v)
        }
        descriptor.set(scalar, in: &scenario.engine)
    }

    /// The keys one level below `prefix` (e.g. `engine` → `policy`, `epsilon`, …, `weights`, …), in table order.
    static func childKeys(of prefix: String) -> [String] {
        var keys: [String] = []
        for setting in allCases where setting.path.hasPrefix(prefix + ".") {
            let rest = setting.path.dropFirst(prefix.count + 1)
            let key = String(rest.prefix { $0 != "." })
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// Settings whose combination with others is constrained (checked by `Scenario.crossFieldProblems()`).
    var isCrossField: Bool {
        path.hasPrefix("engine.weights.") || path.hasPrefix("engine.exploration_priority.thresholds.")
    }

    /// "did you mean …" if a setting is close, otherwise the list of every sweepable setting.
    static func unknownReason(_ key: String) -> String {
        let paths = allCases.map(\.path)
        if key == "objective" || key.hasPrefix("objective.") {
            return "'\(key)' cannot be swept: the objective is the yardstick every configuration is measured with; "
                + "sweep the engine's own weights (engine.weights.*) instead"
        }
        if let suggestion = Suggestion.closest(to: key, among: paths) {
            return "'\(key)' is not a sweepable setting (did you mean '\(suggestion)'?)"
        }
        return "'\(key)' is not a sweepable setting; sweepable settings: \(paths.joined(separator: ", "))"
    }
}

extension Scenario {
    /// Rules that involve several settings at once; each problem names the block it concerns.
    func crossFieldProblems() -> [(path: String, reason: String)] {
        var problems: [(path: String, reason: String)] = []
        let weights = engine.weights
        if weights.activation7d == 0, weights.retention30d == 0, weights.speed == 0 {
            problems.append(("engine.weights", "the weights are all zero; at least one must be greater than 0"))
        }
        let priority = engine.explorationPriority
        if priority.lowThreshold > priority.highThreshold {
            problems.append(
                (
                    "engine.exploration_priority.thresholds",
                    "low (\(priority.lowThreshold)) must not be greater than high (\(priority.highThreshold))"
                ))
        }
        return problems
    }
}
