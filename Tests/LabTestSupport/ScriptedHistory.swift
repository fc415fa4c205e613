import OnboardingEngine
import Stochastics

/// A seeded, scripted history driven through the engine's public operations: several personas, deviations
/// (step-order rewrites), activations, retention and upgrades, and injected job failures.
///
/// The user behaviour comes from its own stream, so two engines over different stores see identical users;
/// any difference in what they record is a store difference.
public struct ScriptedHistory {
    public struct Day: Equatable, CustomStringConvertible {
        public var day: Int
        public var assignments: [String]
        public var patterns: [FlowPattern]
        public var jobs: [LearningJob]
        public var events: [OrchestratorEvent]
        public var trend: [TrendPoint]

        public var description: String { "day \(day): \(assignments.count) assignments, \(patterns.count) patterns" }
    }

    public var days: Int
    public var usersPerDay: Int
    public var seed: UInt64
    public var failEveryNthNight: Int

    public init(days: Int, usersPerDay: Int, seed: UInt64 = 11, failEveryNthNight: Int = 9) {
        self.days = days
        self.usersPerDay = usersPerDay
        self.seed = seed
        self.failEveryNthNight = failEveryNthNight
    }

    public static let personas: [(id: String, flows: [[String]], rates: [Double])] = [
        (
            "mlm_newbie",
            [
                ["product_added", "chatbot_setup", "first_lead"], ["chatbot_setup", "product_added", "first_lead"],
                ["chatbot_setup", "first_lead", "product_added"],
            ], [0.55, 0.7, 0.8]
        ),
        ("agency_pro", [["import_contacts", "first_lead"], ["first_lead", "import_contacts"]], [0.6, 0.5]),
        ("solo_seller", [["product_added", "first_lead"]], [0.4]),
    ]

    /// Configures the personas (v3 defaults: the first two flows of each persona; the third is only reachable
    /// by deviation) and a candidate flow.
    public func configure(_ engine: V4Engine) throws {
        for p in Self.personas {
            try engine.addPersona(p.id, defaults: Array(p.flows.prefix(2)))
        }
        try engine.registerCandidateFlow(
            persona: "agency_pro", steps: ["first_lead", "import_contacts"], variant: "candidate", at: 0)
    }

    /// Runs the history and returns a snapshot per day.
    public func run(_ engine: V4Engine, store: any EngineStore) throws -> [Day] {
        try configure(engine)
        let users = RandomStream(seed: seed)
        var pending: [(at: Minute, seq: Int, user: String, kind: Int, payload: String)] = []
        var snapshots: [Day] = []
        var seq = 0
        for day in 0..<days {
            var assigned: [String] = []
            try store.batch {
                var arrivals: [(Minute, String, Int)] = []
                for i in 0..<usersPerDay {
                    let minute = day * 1440 + users.uniformInt(1440)
                    arrivals.append((minute, "u\(day)-\(i)", users.uniformInt(Self.personas.count)))
                }
                arrivals.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                for (minute, userId, personaIndex) in arrivals {
                    let persona = Self.personas[personaIndex]
                    let result = try engine.initForUser(userId: userId, persona: persona.id, at: minute)
                    assigned.append("\(userId) \(result.flowId) \(result.mode.rawValue) \(result.variant)")
                    var steps = result.steps
                    // Deviation: 5% of users are shown the persona's last flow instead.
                    if users.uniform() < 0.05, let last = persona.flows.last, last != steps {
                        steps = last
                        pending.append((minute + 1, seq, userId, 0, JSONValue.stringArray(last)))
                        seq += 1
                    }
                    let rate = persona.flows.firstIndex(of: steps).map { persona.rates[$0] } ?? 0.3
                    let activates = users.uniform() < rate
                    let delay = 5 + users.uniformInt(activates && users.uniform() < 0.1 ? 12_000 : 600)
                    for (k, step) in steps.enumerated() where step != "first_lead" {
                        pending.append((minute + 2 + k, seq, userId, 1, step))
                        seq += 1
                    }
                    if activates {
                        pending.append((minute + delay, seq, userId, 1, "first_lead"))
                        seq += 1
                    }
                    if users.uniform() < rate * 0.8 {
                        pending.append((minute + 30 * 1440, seq, userId, 2, "retained_30d"))
                        seq += 1
                    }
                    if users.uniform() < 0.05 {
                        pending.append((minute + 3 * 1440, seq, userId, 2, "upgraded"))
                        seq += 1
                    }
                }
                let end = (day + 1) * 1440
                pending.sort { ($0.at, $0.seq) < ($1.at, $1.seq) }
                let due = pending.prefix { $0.at < end }
                for e in due {
                    switch e.kind {
                    case 0:
                        try engine.handleEvent(
                            userId: e.user, eventType: stepOrderRewrittenEvent, at: e.at, metadata: e.payload)
                    case 1: try engine.handleEvent(userId: e.user, eventType: e.payload, at: e.at)
                    default: try engine.recordOutcome(userId: e.user, outcome: e.payload, at: e.at)
                    }
                }
                pending.removeFirst(due.count)
                let failing = failEveryNthNight > 0 && day % failEveryNthNight == failEveryNthNight - 1
                engine.faultInjector =
                    failing
                    ? { stage in
                        if stage == .afterUpsert { throw EngineError.injectedFault("night \(day)") }
                    } : nil
                try engine.runNightlyLearningJob(now: end)
                engine.faultInjector = nil
            }
            snapshots.append(
                Day(
                    day: day, assignments: assigned, patterns: try store.patterns(persona: nil), jobs: try store.jobs(),
                    events: try store.orchestratorEvents(),
                    trend: try engine.getActivationTrendData(days: 40, now: (day + 1) * 1440 - 1)))
        }
        return snapshots
    }
}
