import OnboardingEngine
import OnboardingPersistence
import Stochastics

/// The engine stores one contract runs against (SPEC §1.9).
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite

    public var description: String { rawValue }

    public func makeStore() throws -> any EngineStore {
        switch self {
        case .memory: return MemoryStore()
        case .sqlite: return try SQLiteStore()
        }
    }

    /// A fresh engine over a fresh store, with `configure` applied to the default settings.
    public func makeEngine(seed: UInt64 = 7, configure: (inout EngineSettings) -> Void = { _ in }) throws -> V4Engine {
        let engine = try V4Engine(store: try makeStore(), random: RandomStream(seed: seed))
        var settings = EngineSettings()
        configure(&settings)
        try engine.updateSettings(settings, at: 0)
        return engine
    }
}

extension V4Engine {
    /// Registers a persona whose v3 default is the given flows with equal weights (variants v0, v1, …).
    public func addPersona(_ persona: String, activationEvent: String = "first_lead", defaults: [[String]]) throws {
        try configurePersona(
            PersonaConfig(
                persona: persona, activationEvent: activationEvent,
                v3Default: defaults.enumerated().map { V3Option(steps: $1, variant: "v\($0)") }))
    }

    /// Writes a pattern with the given statistics directly (tests of election and assignment).
    @discardableResult
    public func seedPattern(
        _ persona: String, _ steps: [String], rate7: Double, rate30: Double = 0, avg: Double? = nil, n: Int,
        at: Minute = 0
    ) throws -> FlowPattern {
        try upsertFlowPattern(
            FlowStats(
                persona: persona, steps: steps, winRate7d: rate7, winRate30d: rate30, avgTimeToFirstWinMinutes: avg,
                sampleSize: n,
                explorationPriority: settings.explorationPriority.priority(sampleSize: n), suggestedVariant: nil),
            at: at)
    }
}
