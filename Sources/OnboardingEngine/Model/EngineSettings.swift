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
    /// The values of registered policies' own settings (field `.parameter(default:)`), by database key; a key
    /// absent here has its descriptor's default.
    public var policyParameters: [String: Double] = [:]

    /// The accepted lengths of an A/B test: one day to ten years.
    public static let abTestDaysRange = 1...maxDays

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
    /// The `engine_settings` keys, in the order they are stored and printed (``table`` order).
    public static let keys: [String] = table.compactMap(\.key)

    /// Every engine setting as (key, value), in ``keys`` order.
    public var keyValues: [(String, SettingScalar)] {
        Self.table.compactMap { descriptor in descriptor.key.map { ($0, descriptor.value(in: self)) } }
    }

    /// The descriptor of a database key (`law.max_epsilon`), or `nil`.
    public static func descriptor(key: String) -> SettingDescriptor? {
        table.first { $0.key == key }
    }

    /// The descriptor of a scenario path (`governance.max_epsilon`), or `nil`.
    public static func descriptor(path: String) -> SettingDescriptor? {
        table.first { $0.path == path }
    }

    /// Sets one setting from its text form (CLI, database), checked against the table's type and range.
    /// Throws ``EngineError/invalidSetting`` naming the value and the range.
    public mutating func set(_ key: String, text: String) throws {
        guard let descriptor = Self.descriptor(key: key) else {
            throw EngineError.invalidSetting(
                key: key, reason: "unknown setting; known settings: \(Self.keys.joined(separator: ", "))")
        }
        switch descriptor.check(text: text) {
        case .success(let value): descriptor.set(value, in: &self)
        case .failure(let problem): throw EngineError.invalidSetting(key: key, reason: problem.reason)
        }
    }

    /// The policy as text (a value that is not a policy leaves it unchanged), for the settings table.
    var policyName: String {
        get { policy.rawValue }
        set { if let value = PolicyKind(rawValue: newValue) { policy = value } }
    }

    /// The stale-pattern rule as text (a value that is not a rule leaves it unchanged), for the settings table.
    var stalePatternsName: String {
        get { stalePatterns.rawValue }
        set { if let value = StalePatterns(rawValue: newValue) { stalePatterns = value } }
    }
}
