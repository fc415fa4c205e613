/// The sweepable settings: every field of the `engine` and `governance` blocks, by path.
///
/// The declaration order is the order of `Scenario.settingPaths`, of the keys allowed in the blocks and of the
/// resolved YAML.
enum Setting: String, CaseIterable, Sendable {
    case policy = "engine.policy"
    case epsilon = "engine.epsilon"
    case minChampionSample = "engine.min_champion_sample"
    case windowDays = "engine.window_days"
    case countImmature = "engine.count_immature"
    case weightActivation = "engine.weights.activation_7d"
    case weightRetention = "engine.weights.retention_30d"
    case weightSpeed = "engine.weights.speed"
    case speedHorizonMinutes = "engine.speed_horizon_minutes"
    case priorityBelow10 = "engine.exploration_priority.below_10"
    case priorityBelow30 = "engine.exploration_priority.below_30"
    case priorityOtherwise = "engine.exploration_priority.otherwise"
    case thresholdLow = "engine.exploration_priority.thresholds.low"
    case thresholdHigh = "engine.exploration_priority.thresholds.high"
    case stalePatterns = "engine.stale_patterns"
    case jobFailureRate = "engine.job_failure_rate"
    case holdback = "engine.holdback"
    case abTestDays = "engine.ab_test_days"
    case maxEpsilon = "governance.max_epsilon"
    case lawMinChampionSample = "governance.min_champion_sample"
    case maxWinScoreDegradation = "governance.max_win_score_degradation"

    var path: String { rawValue }

    var kind: ValueKind {
        switch self {
        case .policy, .stalePatterns: return .string
        case .countImmature: return .boolean
        case .minChampionSample, .windowDays, .thresholdLow, .thresholdHigh, .lawMinChampionSample, .abTestDays:
            return .integer
        case .epsilon, .weightActivation, .weightRetention, .weightSpeed, .speedHorizonMinutes, .priorityBelow10,
            .priorityBelow30, .priorityOtherwise, .jobFailureRate, .holdback, .maxEpsilon, .maxWinScoreDegradation:
            return .number
        }
    }

    var rule: ValueRule {
        switch self {
        case .policy: return .oneOf(EngineBlock.policies)
        case .stalePatterns: return .oneOf(EngineBlock.stalePatternsOptions)
        case .countImmature: return .any
        case .epsilon, .jobFailureRate, .holdback, .maxEpsilon, .maxWinScoreDegradation: return .probability
        case .minChampionSample, .windowDays, .lawMinChampionSample: return .atLeast(1)
        case .thresholdLow, .thresholdHigh: return .atLeast(0)
        case .weightActivation, .weightRetention, .weightSpeed: return .atLeast(0)
        case .priorityBelow10, .priorityBelow30, .priorityOtherwise: return .atLeast(0)
        case .speedHorizonMinutes: return .positive
        case .abTestDays: return .within(EngineBlock.abTestDaysRange)
        }
    }

    /// The value with the setting's type, checked against its rule.
    func check(_ value: SettingValue) -> Result<SettingValue, ValueProblem> {
        rule.check(value, as: kind)
    }

    func value(in scenario: Scenario) -> SettingValue {
        let engine = scenario.engine
        let governance = scenario.governance
        switch self {
        case .policy: return .string(engine.policy)
        case .epsilon: return .number(engine.epsilon)
        case .minChampionSample: return .integer(engine.minChampionSample)
        case .windowDays: return .integer(engine.windowDays)
        case .countImmature: return .bool(engine.countImmature)
        case .weightActivation: return .number(engine.weights.activation7d)
        case .weightRetention: return .number(engine.weights.retention30d)
        case .weightSpeed: return .number(engine.weights.speed)
        case .speedHorizonMinutes: return .number(engine.speedHorizonMinutes)
        case .priorityBelow10: return .number(engine.explorationPriority.below10)
        case .priorityBelow30: return .number(engine.explorationPriority.below30)
        case .priorityOtherwise: return .number(engine.explorationPriority.otherwise)
        case .thresholdLow: return .integer(engine.explorationPriority.lowThreshold)
        case .thresholdHigh: return .integer(engine.explorationPriority.highThreshold)
        case .stalePatterns: return .string(engine.stalePatterns)
        case .jobFailureRate: return .number(engine.jobFailureRate)
        case .holdback: return .number(engine.holdback)
        case .abTestDays: return .integer(engine.abTestDays)
        case .maxEpsilon: return .number(governance.maxEpsilon)
        case .lawMinChampionSample: return .integer(governance.minChampionSample)
        case .maxWinScoreDegradation: return .number(governance.maxWinScoreDegradation)
        }
    }

    /// Stores a value already converted by `check(_:)`; a value of another type leaves the setting unchanged.
    func set(_ value: SettingValue, in scenario: inout Scenario) {
        let number = value.doubleValue
        let integer = value.intValue
        let bool = value.boolValue
        let text = value.stringValue
        switch self {
        case .policy: if let text { scenario.engine.policy = text }
        case .epsilon: if let number { scenario.engine.epsilon = number }
        case .minChampionSample: if let integer { scenario.engine.minChampionSample = integer }
        case .windowDays: if let integer { scenario.engine.windowDays = integer }
        case .countImmature: if let bool { scenario.engine.countImmature = bool }
        case .weightActivation: if let number { scenario.engine.weights.activation7d = number }
        case .weightRetention: if let number { scenario.engine.weights.retention30d = number }
        case .weightSpeed: if let number { scenario.engine.weights.speed = number }
        case .speedHorizonMinutes: if let number { scenario.engine.speedHorizonMinutes = number }
        case .priorityBelow10: if let number { scenario.engine.explorationPriority.below10 = number }
        case .priorityBelow30: if let number { scenario.engine.explorationPriority.below30 = number }
        case .priorityOtherwise: if let number { scenario.engine.explorationPriority.otherwise = number }
        case .thresholdLow: if let integer { scenario.engine.explorationPriority.lowThreshold = integer }
        case .thresholdHigh: if let integer { scenario.engine.explorationPriority.highThreshold = integer }
        case .stalePatterns: if let text { scenario.engine.stalePatterns = text }
        case .jobFailureRate: if let number { scenario.engine.jobFailureRate = number }
        case .holdback: if let number { scenario.engine.holdback = number }
        case .abTestDays: if let integer { scenario.engine.abTestDays = integer }
        case .maxEpsilon: if let number { scenario.governance.maxEpsilon = number }
        case .lawMinChampionSample: if let integer { scenario.governance.minChampionSample = integer }
        case .maxWinScoreDegradation: if let number { scenario.governance.maxWinScoreDegradation = number }
        }
    }

    /// The keys one level below `prefix` (e.g. `engine` → `policy`, `epsilon`, …, `weights`, …), in declaration order.
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
        switch self {
        case .weightActivation, .weightRetention, .weightSpeed, .thresholdLow, .thresholdHigh: return true
        default: return false
        }
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
