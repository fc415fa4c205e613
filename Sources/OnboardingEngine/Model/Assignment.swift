/// How a user's flow was chosen (`onboarding_flow_assignments.mode`).
public enum AssignmentMode: String, Sendable, Codable, CaseIterable {
    case explore, exploit, holdback
}

/// One row of `onboarding_flow_assignments`.
public struct Assignment: Sendable, Equatable, Codable {
    public var id: String
    public var userId: String
    public var persona: String
    public var flowId: String
    public var assignedAt: Minute
    public var mode: AssignmentMode
    public var activated7d: Bool
    public var retained30d: Bool
    public var upgraded: Bool
    public var lastUpdated: Minute

    public init(
        id: String, userId: String, persona: String, flowId: String, assignedAt: Minute, mode: AssignmentMode,
        activated7d: Bool = false, retained30d: Bool = false, upgraded: Bool = false, lastUpdated: Minute
    ) {
        self.id = id
        self.userId = userId
        self.persona = persona
        self.flowId = flowId
        self.assignedAt = assignedAt
        self.mode = mode
        self.activated7d = activated7d
        self.retained30d = retained30d
        self.upgraded = upgraded
        self.lastUpdated = lastUpdated
    }
}

/// What `assignFlowForUser` returns (SPEC §1.4).
public struct FlowAssignment: Sendable, Equatable, Codable {
    public var flowId: String
    public var variant: String
    public var mode: AssignmentMode
    public var steps: [String]

    public init(flowId: String, variant: String, mode: AssignmentMode, steps: [String]) {
        self.flowId = flowId
        self.variant = variant
        self.mode = mode
        self.steps = steps
    }
}

/// A new user as ``V4Engine/assign(userId:persona:at:)`` assigned it: the flow's prepared names, the mode and the
/// store's handle of the user (made by the engine only: its memberwise initialiser is internal).
public struct AssignedUser: Sendable {
    public let flow: PreparedAssignment
    public let mode: AssignmentMode
    public let user: UserHandle

    /// What `assignFlowForUser` returns for it.
    public var assignment: FlowAssignment {
        FlowAssignment(flowId: flow.flowId, variant: flow.variant, mode: mode, steps: flow.steps)
    }
}

/// What `initForUser` returns to the v3 runtime (SPEC §1.6).
public struct V3Init: Sendable, Equatable, Codable {
    public var persona: String
    public var variant: String
    public var flowId: String
    public var mode: AssignmentMode
    public var steps: [String]
}

/// The outcomes `recordOutcome` accepts.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case activated
    case retained30d = "retained_30d"
    case upgraded
}

/// One user's journey as the learning job sees it (`getRecentJourneys`).
public struct Journey: Sendable, Equatable {
    public var userId: String
    public var persona: String
    /// The sequence actually presented (journey_state.step_order).
    public var steps: [String]
    public var assignedAt: Minute
    public var activated7d: Bool
    public var retained30d: Bool
    public var timeToFirstWinMinutes: Minute?
    public var variant: String

    public init(
        userId: String, persona: String, steps: [String], assignedAt: Minute, activated7d: Bool, retained30d: Bool,
        timeToFirstWinMinutes: Minute?, variant: String
    ) {
        self.userId = userId
        self.persona = persona
        self.steps = steps
        self.assignedAt = assignedAt
        self.activated7d = activated7d
        self.retained30d = retained30d
        self.timeToFirstWinMinutes = timeToFirstWinMinutes
        self.variant = variant
    }
}

/// One row of `onboarding_journey_metrics`.
public struct JourneyMetrics: Sendable, Equatable, Codable {
    public var userId: String
    public var activated7d: Bool
    public var retained30d: Bool
    public var upgraded: Bool
    public var timeToFirstWinMinutes: Minute?
    public var firstAhaMomentAt: Minute?
    public var activationEvent: String?
    public var completionRate: Double
    public var createdAt: Minute
    public var updatedAt: Minute

    public init(
        userId: String, activated7d: Bool, retained30d: Bool, upgraded: Bool, timeToFirstWinMinutes: Minute?,
        firstAhaMomentAt: Minute?, activationEvent: String?, completionRate: Double, createdAt: Minute,
        updatedAt: Minute
    ) {
        self.userId = userId
        self.activated7d = activated7d
        self.retained30d = retained30d
        self.upgraded = upgraded
        self.timeToFirstWinMinutes = timeToFirstWinMinutes
        self.firstAhaMomentAt = firstAhaMomentAt
        self.activationEvent = activationEvent
        self.completionRate = completionRate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One point of `getActivationTrendData`: the users who signed up on one day.
public struct TrendPoint: Sendable, Equatable, Codable {
    public var day: Int
    public var total: Int
    public var activated: Int
    public var activationRate: Double

    public init(day: Int, total: Int, activated: Int) {
        self.day = day
        self.total = total
        self.activated = activated
        self.activationRate = total > 0 ? Double(activated) / Double(total) : 0
    }
}
