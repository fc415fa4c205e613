import GRDB
import OnboardingEngine

/// One user as `onboarding-lab calibrate` reads it: what was assigned, what was presented, and the outcomes.
public struct CalibrationUser: Sendable, Equatable {
    public var persona: String
    /// The steps of the assigned flow (`onboarding_flow_assignments.flow_id`).
    public var assignedSteps: [String]
    /// The steps presented after the v3 runtime's rewrites (`onboarding_journey_state.step_order`).
    public var presentedSteps: [String]
    public var variant: String
    public var assignedAt: Minute
    public var activated7d: Bool
    public var retained30d: Bool
    public var upgraded: Bool
    public var timeToFirstWinMinutes: Minute?
    /// The user has a `v3_step_order_rewritten` event.
    public var rewritten: Bool
}

/// The engine clock's extent of a database: the first and last minute anything was recorded.
public struct CalibrationExtent: Sendable, Equatable {
    public var firstSignup: Minute?
    public var lastSignup: Minute?
    /// The latest minute any row records (events, outcomes, jobs): what the database knows up to.
    public var asOf: Minute?
    public var jobs: Int
    public var failedJobs: Int
}

extension SQLiteStore {
    /// Every user assigned in `from ..< to` (nil: unbounded), oldest first. Read-only.
    public func calibrationUsers(from: Minute?, to: Minute?) throws -> [CalibrationUser] {
        try read { db in
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT a.user_id, a.persona, a.flow_id, s.step_order, p.chosen_variant, a.assigned_at,
                           a.activated_7d, a.retained_30d, a.upgraded, m.time_to_first_win_minutes,
                           EXISTS (SELECT 1 FROM onboarding_events e
                                    WHERE e.user_id = a.user_id AND e.event_type = ?)
                      FROM onboarding_flow_assignments a
                      JOIN onboarding_journey_state s ON s.user_id = a.user_id
                      LEFT JOIN onboarding_personalization p ON p.user_id = a.user_id
                      LEFT JOIN onboarding_journey_metrics m ON m.user_id = a.user_id
                     WHERE a.assigned_at >= ? AND a.assigned_at < ?
                     ORDER BY a.assigned_at, a.user_id
                    """,
                arguments: [
                    stepOrderRewrittenEvent, from.map(SQLTime.bound) ?? "", to.map(SQLTime.bound) ?? "~",
                ])
            var users: [CalibrationUser] = []
            while let row = try cursor.next() {
                let userId: String = (try? row.decode(atIndex: 0)) ?? "?"
                let flowId: String = try row.decode(atIndex: 2)
                guard let assigned = FlowID.parse(flowId) else {
                    throw PersistenceError.corruptRow(
                        table: "onboarding_flow_assignments", key: userId, column: "flow_id",
                        reason: "'\(flowId)' is not a flow id (persona::[step>step])")
                }
                let presentedText: String = try row.decode(atIndex: 3)
                guard let presented = JSONValue.parseStringArray(presentedText) else {
                    throw PersistenceError.corruptRow(
                        table: "onboarding_journey_state", key: userId, column: "step_order",
                        reason: "not a JSON array of step ids")
                }
                users.append(
                    CalibrationUser(
                        persona: try row.decode(atIndex: 1), assignedSteps: assigned.steps, presentedSteps: presented,
                        variant: (try row.decode(atIndex: 4) as String?) ?? "",
                        assignedAt: try SQLTime.minute(
                            try row.decode(atIndex: 5), table: "onboarding_flow_assignments", key: userId,
                            column: "assigned_at"),
                        activated7d: try row.decode(atIndex: 6), retained30d: try row.decode(atIndex: 7),
                        upgraded: try row.decode(atIndex: 8), timeToFirstWinMinutes: try row.decode(atIndex: 9),
                        rewritten: try row.decode(atIndex: 10)))
            }
            return users
        }
    }

    /// The first and last signup, the latest recorded minute, and the learning jobs' counts.
    public func calibrationExtent() throws -> CalibrationExtent {
        try read { db in
            let signups = try Row.fetchOne(
                db, sql: "SELECT MIN(assigned_at), MAX(assigned_at), MAX(last_updated) FROM onboarding_flow_assignments"
            )
            func minute(_ text: String?, _ table: String, _ column: String) throws -> Minute? {
                try text.map { try SQLTime.minute($0, table: table, key: "MAX(\(column))", column: column) }
            }
            let latestEvent = try minute(
                try String.fetchOne(db, sql: "SELECT MAX(occurred_at) FROM onboarding_events"), "onboarding_events",
                "occurred_at")
            let jobs = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*), COALESCE(SUM(status = 'failed'), 0), MAX(COALESCE(completed_at, started_at))
                      FROM onboarding_learning_jobs
                    """)
            let latestJob = try minute(jobs?[2], "onboarding_learning_jobs", "completed_at")
            let latestUpdate = try minute(signups?[2], "onboarding_flow_assignments", "last_updated")
            let candidates = [latestJob, latestUpdate, latestEvent].compactMap { $0 }
            return CalibrationExtent(
                firstSignup: try minute(signups?[0], "onboarding_flow_assignments", "assigned_at"),
                lastSignup: try minute(signups?[1], "onboarding_flow_assignments", "assigned_at"),
                asOf: candidates.max(),
                jobs: jobs?[0] ?? 0, failedJobs: jobs?[1] ?? 0)
        }
    }
}
