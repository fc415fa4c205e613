/// The assignment policies of SPEC §1.5.
public enum PolicyKind: String, Sendable, Codable, CaseIterable {
    case seedEpsilonGreedy = "seed-epsilon-greedy"
    case epsilonGreedy = "epsilon-greedy"
    case thompson
    case ucb1
    /// A plain A/B test: uniform split over the arms for `ab_test_days`, then the best observed arm for good.
    case abTest = "ab-test"
    /// No learning in assignment: the persona's v3 default split forever.
    case v3Default = "v3-default"
}

/// What the election does with patterns absent from tonight's window (SPEC §1.4).
public enum StalePatterns: String, Sendable, Codable, CaseIterable {
    /// The seed's behaviour: they keep their last values and stay eligible.
    case keep
    /// They keep their values but cannot become (or stay the elected candidate for) champion.
    case dropFromElection = "drop_from_election"
}

/// Win-score weights (SPEC §1.3).
public struct WinScoreWeights: Sendable, Equatable, Codable {
    public var activation7d: Double
    public var retention30d: Double
    public var speed: Double

    public init(activation7d: Double = 0.5, retention30d: Double = 0.3, speed: Double = 0.2) {
        self.activation7d = activation7d
        self.retention30d = retention30d
        self.speed = speed
    }
}

/// Exploration priority by sample size (SPEC §1.4): `below10` when n < lowThreshold, `below30` when
/// n < highThreshold, `otherwise` above.
public struct ExplorationPriority: Sendable, Equatable, Codable {
    public var below10: Double
    public var below30: Double
    public var otherwise: Double
    public var lowThreshold: Int
    public var highThreshold: Int

    public init(
        below10: Double = 1.0, below30: Double = 0.5, otherwise: Double = 0.1, lowThreshold: Int = 10,
        highThreshold: Int = 30
    ) {
        self.below10 = below10
        self.below30 = below30
        self.otherwise = otherwise
        self.lowThreshold = lowThreshold
        self.highThreshold = highThreshold
    }

    public func priority(sampleSize: Int) -> Double {
        sampleSize < lowThreshold ? below10 : sampleSize < highThreshold ? below30 : otherwise
    }
}

/// The governance laws of SPEC §1.7.
public struct GovernanceLaws: Sendable, Equatable, Codable {
    public var maxEpsilon: Double
    public var minChampionSample: Int
    public var maxWinScoreDegradation: Double

    public init(maxEpsilon: Double = 0.3, minChampionSample: Int = 30, maxWinScoreDegradation: Double = 0.10) {
        self.maxEpsilon = maxEpsilon
        self.minChampionSample = minChampionSample
        self.maxWinScoreDegradation = maxWinScoreDegradation
    }
}

/// Every engine setting (SPEC §2.1 `engine:` and `governance:`), with the seed's defaults.
///
/// Stored in `engine_settings` one key per field (``EngineSettings/keyValues``), so a database carries its own
/// configuration and the `win_score` trigger can read the weights.
public struct EngineSettings: Sendable, Equatable, Codable {
    public var policy: PolicyKind = .seedEpsilonGreedy
    public var epsilon: Double = 0.2
    public var minChampionSample: Int = 30
    public var windowDays: Int = 30
    public var countImmature: Bool = true
    public var weights = WinScoreWeights()
    public var speedHorizonMinutes: Double = 1440
    public var explorationPriority = ExplorationPriority()
    public var stalePatterns: StalePatterns = .keep
    public var holdback: Double = 0
    /// Length of the `ab-test` policy's test, in days (``abTestDaysRange``).
    public var abTestDays: Int = 28
    public var laws = GovernanceLaws()

    /// The accepted lengths of an A/B test: one day to ten years.
    public static let abTestDaysRange = 1...3650

    public init() {}

    /// ε actually used: min(epsilon, law.max_epsilon), never negative.
    public var effectiveEpsilon: Double { max(0, min(epsilon, laws.maxEpsilon)) }

    /// True when the law lowers the configured ε.
    public var epsilonIsClamped: Bool { epsilon > laws.maxEpsilon }

    /// Minimum sample for a champion: max(setting, law) — the setting can only raise the law (SPEC §1.7).
    public var effectiveMinChampionSample: Int { max(minChampionSample, laws.minChampionSample) }

    /// The window's length in minutes.
    public var windowMinutes: Minute { windowDays * Clock.minutesPerDay }
}

/// A value of one setting, as stored in `engine_settings.value`.
public enum SettingScalar: Sendable, Equatable, CustomStringConvertible {
    case real(Double)
    case integer(Int)
    case text(String)

    public var description: String {
        switch self {
        case .real(let v): return "\(v)"
        case .integer(let v): return "\(v)"
        case .text(let v): return v
        }
    }
}

extension EngineSettings {
    /// The setting keys, in the order they are stored and printed.
    public static let keys: [String] = [
        "policy", "epsilon", "min_champion_sample", "window_days", "count_immature",
        "weights.activation_7d", "weights.retention_30d", "weights.speed", "speed_horizon_minutes",
        "exploration_priority.below_10", "exploration_priority.below_30", "exploration_priority.otherwise",
        "exploration_priority.low_threshold", "exploration_priority.high_threshold", "stale_patterns", "holdback",
        "ab_test_days", "law.max_epsilon", "law.min_champion_sample", "law.max_win_score_degradation",
    ]

    /// Every setting as (key, value), in ``keys`` order.
    public var keyValues: [(String, SettingScalar)] {
        [
            ("policy", .text(policy.rawValue)), ("epsilon", .real(epsilon)),
            ("min_champion_sample", .integer(minChampionSample)), ("window_days", .integer(windowDays)),
            ("count_immature", .integer(countImmature ? 1 : 0)),
            ("weights.activation_7d", .real(weights.activation7d)),
            ("weights.retention_30d", .real(weights.retention30d)),
            ("weights.speed", .real(weights.speed)), ("speed_horizon_minutes", .real(speedHorizonMinutes)),
            ("exploration_priority.below_10", .real(explorationPriority.below10)),
            ("exploration_priority.below_30", .real(explorationPriority.below30)),
            ("exploration_priority.otherwise", .real(explorationPriority.otherwise)),
            ("exploration_priority.low_threshold", .integer(explorationPriority.lowThreshold)),
            ("exploration_priority.high_threshold", .integer(explorationPriority.highThreshold)),
            ("stale_patterns", .text(stalePatterns.rawValue)), ("holdback", .real(holdback)),
            ("ab_test_days", .integer(abTestDays)),
            ("law.max_epsilon", .real(laws.maxEpsilon)), ("law.min_champion_sample", .integer(laws.minChampionSample)),
            ("law.max_win_score_degradation", .real(laws.maxWinScoreDegradation)),
        ]
    }

    /// Sets one setting from its text form (CLI, database). Throws ``EngineError/invalidSetting`` with the reason.
    public mutating func set(_ key: String, text: String) throws {
        func real() throws -> Double {
            guard let v = Double(text), v.isFinite else {
                throw EngineError.invalidSetting(key: key, reason: "expected a number, found '\(text)'")
            }
            return v
        }
        func probability() throws -> Double {
            let v = try real()
            guard (0...1).contains(v) else {
                throw EngineError.invalidSetting(key: key, reason: "must be within [0, 1], found \(v)")
            }
            return v
        }
        func nonNegative() throws -> Double {
            let v = try real()
            guard v >= 0 else { throw EngineError.invalidSetting(key: key, reason: "must be ≥ 0, found \(v)") }
            return v
        }
        func integer(min: Int, max: Int = Int.max) throws -> Int {
            guard let v = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() ? Int(exactly: $0) : nil }) else {
                throw EngineError.invalidSetting(key: key, reason: "expected an integer, found '\(text)'")
            }
            guard v >= min else { throw EngineError.invalidSetting(key: key, reason: "must be ≥ \(min), found \(v)") }
            guard v <= max else { throw EngineError.invalidSetting(key: key, reason: "must be ≤ \(max), found \(v)") }
            return v
        }
        switch key {
        case "policy":
            guard let p = PolicyKind(rawValue: text) else {
                throw EngineError.invalidSetting(
                    key: key,
                    reason:
                        "expected one of \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"
                )
            }
            policy = p
        case "epsilon": epsilon = try probability()
        case "min_champion_sample": minChampionSample = try integer(min: 1)
        case "window_days": windowDays = try integer(min: 1)
        case "count_immature":
            switch text.lowercased() {
            case "1", "true": countImmature = true
            case "0", "false": countImmature = false
            default: throw EngineError.invalidSetting(key: key, reason: "expected true or false, found '\(text)'")
            }
        case "weights.activation_7d": weights.activation7d = try nonNegative()
        case "weights.retention_30d": weights.retention30d = try nonNegative()
        case "weights.speed": weights.speed = try nonNegative()
        case "speed_horizon_minutes":
            let v = try real()
            guard v > 0 else { throw EngineError.invalidSetting(key: key, reason: "must be > 0, found \(v)") }
            speedHorizonMinutes = v
        case "exploration_priority.below_10": explorationPriority.below10 = try nonNegative()
        case "exploration_priority.below_30": explorationPriority.below30 = try nonNegative()
        case "exploration_priority.otherwise": explorationPriority.otherwise = try nonNegative()
        case "exploration_priority.low_threshold": explorationPriority.lowThreshold = try integer(min: 0)
        case "exploration_priority.high_threshold": explorationPriority.highThreshold = try integer(min: 0)
        case "stale_patterns":
            guard let s = StalePatterns(rawValue: text) else {
                throw EngineError.invalidSetting(
                    key: key, reason: "expected keep or drop_from_election, found '\(text)'")
            }
            stalePatterns = s
        case "holdback": holdback = try probability()
        case "ab_test_days":
            abTestDays = try integer(min: Self.abTestDaysRange.lowerBound, max: Self.abTestDaysRange.upperBound)
        case "law.max_epsilon": laws.maxEpsilon = try probability()
        case "law.min_champion_sample": laws.minChampionSample = try integer(min: 1)
        case "law.max_win_score_degradation": laws.maxWinScoreDegradation = try nonNegative()
        default:
            throw EngineError.invalidSetting(
                key: key, reason: "unknown setting; known settings: \(Self.keys.joined(separator: ", "))")
        }
    }
}
