import Foundation
import OnboardingEngine
import OnboardingPersistence

/// What the dashboard shows of an engine database, read in one go through the store façade.
public struct EngineSnapshot: Sendable {
    public var settings: EngineSettings
    /// Personas configured or with patterns, sorted.
    public var personas: [String]
    /// Every pattern, by persona, then win score descending, then flow id (`getAllFlowPatterns`).
    public var patterns: [FlowPattern]
    /// Learning jobs, newest first.
    public var jobs: [LearningJob]
    /// Orchestrator events, newest first.
    public var events: [OrchestratorEvent]
    /// The activation trend: one entry per day of the requested span (days without signups have total 0).
    public var trend: [TrendPoint]
    /// The last day of the trend (the day of the latest signup), nil when nobody was ever assigned.
    public var trendEndDay: Int?

    /// The patterns of one persona, in performance order.
    public func patterns(of persona: String) -> [FlowPattern] { patterns.filter { $0.persona == persona } }

    /// The persona's champion, if one has been elected.
    public func champion(of persona: String) -> FlowPattern? {
        patterns.first { $0.persona == persona && $0.isChampion }
    }

    /// Reads everything but the trend's days from `engine`; the trend covers `trendDays` days ending on the day
    /// of the latest signup (as `inspect` without `--at`).
    static func read(_ engine: V4Engine, trendDays: Int) throws -> EngineSnapshot {
        let patterns = try engine.getAllFlowPatterns()
        let configured = try engine.store.personaConfigs().map(\.persona)
        let personas = Set(configured).union(patterns.map(\.persona)).sorted()
        let everyDay = -(1 << 40)...(1 << 40)
        let endDay = try engine.store.activationTrend(days: everyDay).map(\.day).max()
        var trend: [TrendPoint] = []
        if let endDay {
            let stored = try engine.getActivationTrendData(days: trendDays, now: endDay * Clock.minutesPerDay)
            let byDay = Dictionary(uniqueKeysWithValues: stored.map { ($0.day, $0) })
            trend = ((endDay - trendDays + 1)...endDay).map { byDay[$0] ?? TrendPoint(day: $0, total: 0, activated: 0) }
        }
        return EngineSnapshot(
            settings: engine.settings, personas: personas, patterns: patterns,
            jobs: try Self.jobs(of: engine).reversed(), events: try engine.store.orchestratorEvents().reversed(),
            trend: trend, trendEndDay: endDay)
    }
}

extension EngineSnapshot {
    /// The jobs as an operator should see them: on a database, a `running` job whose process is gone (no live
    /// lease) shows as failed, "abandoned" (``SQLiteStore/jobsAsSeen(now:)``; the next nightly job records it).
    static func jobs(of engine: V4Engine) throws -> [LearningJob] {
        if let store = engine.store as? SQLiteStore { return try store.jobsAsSeen(now: Date()) }
        return try engine.store.jobs()
    }
}
