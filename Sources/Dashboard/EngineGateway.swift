import Foundation
import OnboardingEngine
import OnboardingPersistence
import Stochastics

/// The dashboard's only way into the engine database: reads through a read-only store, admin actions through
/// the engine (``V4Engine``), one at a time.
///
/// Every call opens the database afresh, so the dashboard always shows what other processes (the `engine`
/// commands, a scheduler) wrote, and never holds a connection between requests.
public actor EngineGateway {
    public nonisolated let path: String
    /// The current engine minute (minutes since 1970-01-01T00:00Z); injected so tests control time.
    let now: @Sendable () -> Minute

    public init(path: String, now: @escaping @Sendable () -> Minute) {
        self.path = path
        self.now = now
    }

    /// Checks that `path` is an engine database this binary can read, without writing to it.
    public func verify() throws {
        let store = try SQLiteStore(path: path, mode: .readOnly)
        try store.close()
    }

    /// Patterns, settings, jobs, events and `trendDays` days of activation trend.
    public func snapshot(trendDays: Int) throws -> EngineSnapshot {
        let store = try SQLiteStore(path: path, mode: .readOnly)
        defer { try? store.close() }
        return try EngineSnapshot.read(try V4Engine(store: store, random: RandomStream(seed: 0)), trendDays: trendDays)
    }

    /// What an exploration-rate change did.
    public struct EpsilonChange: Sendable, Equatable {
        public var previous: Double
        public var requested: Double
        /// The value stored: the request clamped to [0, law.max_epsilon].
        public var epsilon: Double
        public var maxEpsilon: Double
        public var clamped: Bool { epsilon != requested }
    }

    /// Sets the exploration rate to `requested` clamped to the law (SPEC §1.7: ε ≤ law.max_epsilon), and records
    /// `onboarding_exploration_rate_changed` (and `governance_epsilon_clamped` when the request exceeded the law)
    /// in the same transaction as the setting.
    ///
    /// - Parameter requested: a probability, 0…1 (anything else is refused before the database is opened).
    public func setEpsilon(_ requested: Double) throws -> EpsilonChange {
        guard requested.isFinite, (0...1).contains(requested) else {
            throw DashboardError(.badRequest, "epsilon must be a number in 0…1, found \(requested)")
        }
        let store = try SQLiteStore(path: path, mode: .existing)
        defer { try? store.close() }
        let engine = try V4Engine(store: store, random: RandomStream(seed: 0))
        var settings = engine.settings
        let change = EpsilonChange(
            previous: settings.epsilon, requested: requested,
            epsilon: min(requested, settings.laws.maxEpsilon), maxEpsilon: settings.laws.maxEpsilon)
        settings.epsilon = change.epsilon
        let at = now()
        try store.transaction {
            try engine.updateSettings(settings, at: at)
            try store.appendOrchestratorEvent(
                type: .explorationRateChanged, persona: nil,
                payload: JSONValue.object([
                    "previous": .number(change.previous), "requested": .number(change.requested),
                    "epsilon": .number(change.epsilon), "max_epsilon": .number(change.maxEpsilon),
                    "clamped": .bool(change.clamped), "source": .string("dashboard"),
                ]).text, at: at)
            if change.clamped {
                try store.appendOrchestratorEvent(
                    type: .epsilonClamped, persona: nil,
                    payload: JSONValue.object([
                        "configured_epsilon": .number(change.epsilon), "requested_epsilon": .number(requested),
                        "effective_epsilon": .number(change.epsilon), "max_epsilon": .number(change.maxEpsilon),
                        "reason": .string("dashboard_request"),
                    ]).text, at: at)
            }
        }
        return change
    }

    /// Runs the nightly learning job now, under the job lease like `engine nightly` (a scheduler or another
    /// process holding it makes this a 409); abandoned jobs are recorded first. A failed job is recorded by the
    /// engine (status failed, `onboarding_learning_job_failed`) and returned like a completed one.
    public func runNightlyNow() throws -> NightlyReport {
        let store = try SQLiteStore(path: path, mode: .existing)
        defer { try? store.close() }
        let engine = try V4Engine(store: store, random: RandomStream(seed: 0))
        do {
            let run = try store.runNightlyWithLease(engine: engine, at: now(), owner: .current(), now: Date())
            guard let report = run.report else {
                throw DashboardError(.internalServerError, "the learning job did not run")
            }
            return report
        } catch PersistenceError.leaseHeld(_, let holder, _) {
            throw DashboardError(.conflict, "another process (\(holder)) is running the learning job; try again later")
        }
    }
}
