/// One row of flows.csv before the config and replicate columns: the users of one signup day and persona
/// presented one flow, and how many of them complete every step, activate within 7 days, are retained and
/// upgrade (decided at signup, as the cohort rates are).
public struct FlowDayRecord: Sendable, Equatable, Codable {
    public var day: Int
    public var persona: String
    /// The flow's local id.
    public var flow: String
    public var presented: Int
    /// Users who complete every step of the flow: the step funnel's walk reaches its end, or, for a flow without a
    /// funnel, the activators (they send every step).
    public var completed: Int
    public var activated: Int
    public var retained: Int
    public var upgraded: Int

    public init(
        day: Int, persona: String, flow: String, presented: Int, completed: Int, activated: Int, retained: Int,
        upgraded: Int
    ) {
        self.day = day
        self.persona = persona
        self.flow = flow
        self.presented = presented
        self.completed = completed
        self.activated = activated
        self.retained = retained
        self.upgraded = upgraded
    }
}

/// The day's per-flow counts while users arrive, closed into ``FlowDayRecord``s per persona at the day's end
/// (flows nobody was presented are left out).
struct FlowTally {
    let flowIds: [[String]]
    let personaIds: [String]
    /// Per persona and flow: presented, completed, activated, retained, upgraded.
    var counts: [[[Int]]]
    var records: [FlowDayRecord] = []

    init(world: World) {
        flowIds = world.personas.map { $0.flows.map(\.id) }
        personaIds = world.personas.map(\.id)
        counts = flowIds.map { $0.map { _ in Array(repeating: 0, count: 5) } }
    }

    mutating func add(_ outcome: UserOutcome, persona p: Int, flow f: Int) {
        counts[p][f][0] += 1
        if outcome.completedFlow { counts[p][f][1] += 1 }
        if outcome.activated { counts[p][f][2] += 1 }
        if outcome.retained { counts[p][f][3] += 1 }
        if outcome.upgraded { counts[p][f][4] += 1 }
    }

    mutating func close(day: Int, persona p: Int) {
        for (f, c) in counts[p].enumerated() where c[0] > 0 {
            records.append(
                FlowDayRecord(
                    day: day, persona: personaIds[p], flow: flowIds[p][f], presented: c[0], completed: c[1],
                    activated: c[2], retained: c[3], upgraded: c[4]))
            counts[p][f] = Array(repeating: 0, count: 5)
        }
    }
}
