import LabTestSupport
import Testing

@testable import OnboardingEngine

/// `eventContext(_:event:)` and `recordEvent(…)`, the one read and one write the engine makes per v3 event, must
/// answer and write what the separate calls answer and write, on both stores (SPEC §1.9), inside a batch (the
/// SQLite store's write-behind buffer) and outside one.
@Suite("Event reads and writes")
struct EventContractTests {
    typealias Record = PreparedAssignmentContractTests.Record

    static let flows: [[String]] = [["a", "win"], ["b", "c", "win"], ["b", "b2", "c"]]
    static let users = (0..<12).map { "u\($0)" }

    /// A store with the twelve users, three flows in turn, assigned a minute apart from minute 10.
    static func store(_ kind: StoreKind) throws -> any EngineStore {
        let store = try kind.makeStore()
        for (i, id) in users.enumerated() {
            let steps = flows[i % flows.count]
            try store.insertAssignment(
                Assignment(
                    id: id, userId: id, persona: "p\(i % 2)", flowId: FlowID.make(persona: "p\(i % 2)", steps: steps),
                    assignedAt: 10 + i, mode: .exploit, lastUpdated: 10 + i), variant: "v\(i % 3)", steps: steps)
        }
        return store
    }

    /// The events of the check: steps (one repeated, one not presented), and activations with and without a
    /// first win.
    static let events: [(user: String, event: String, at: Minute, activates: Bool)] = [
        ("u0", "a", 100, false), ("u0", "win", 200, true), ("u1", "b", 110, false), ("u1", "b", 120, false),
        ("u1", "c", 130, false), ("u2", "c", 140, false), ("u3", "x", 150, false), ("u4", "win", 160, true),
        ("u4", "win", 170, true), ("u5", "b2", 180, false), ("u7", "win", 11 * 1440, true),
    ]

    static func activation(_ state: OutcomeState, at: Minute, event: String) -> OutcomeUpdate? {
        var update = OutcomeUpdate()
        update.setActivated7d = !state.activated7d && at - state.assignedAt <= 7 * 1440
        if state.hasFirstWin == false { update.firstWin = (at - state.assignedAt, at, event) }
        return update.isEmpty ? nil : update
    }

    @Test(arguments: StoreKind.allCases, [false, true])
    func recordEventWritesWhatTheSeparateCallsWrite(kind: StoreKind, batched: Bool) throws {
        let combined = try Self.store(kind)
        let separate = try Self.store(kind)
        try combined.batch(batched) {
            for e in Self.events {
                let user = try combined.existingHandle(of: e.user)
                let context = try combined.eventContext(user, event: e.event)
                let update = e.activates ? Self.activation(context.outcome, at: e.at, event: e.event) : nil
                try combined.recordEvent(
                    user, eventType: e.event, metadata: nil, step: context.step, outcome: update, at: e.at)
            }
        }
        try separate.batch(batched) {
            for e in Self.events {
                let user = try separate.existingHandle(of: e.user)
                let state = try #require(try separate.outcomeState(user, withFirstWin: true))
                try separate.appendEvent(user, eventType: e.event, at: e.at, metadata: nil)
                if try separate.journeyContext(user)?.steps.contains(e.event) == true {
                    try separate.markStepCompleted(user, step: e.event, at: e.at)
                }
                if e.activates, let update = Self.activation(state, at: e.at, event: e.event) {
                    try separate.applyOutcome(user, update: update, at: e.at)
                }
            }
        }
        let record = try Record(combined, users: Self.users)
        #expect(record == (try Record(separate, users: Self.users)))
        // The check saw the writes: steps completed once, first wins recorded once, the late one not activating.
        #expect(record.metrics[1]?.completionRate == 2.0 / 3.0)
        #expect(record.metrics[0]?.timeToFirstWinMinutes == 190)
        #expect(record.metrics[4]?.timeToFirstWinMinutes == 146)
        #expect(record.assignments[7]?.activated7d == false && record.metrics[7]?.firstAhaMomentAt == 11 * 1440)
        #expect(record.metrics[3]?.completionRate == 0)
    }

    @Test(arguments: StoreKind.allCases, [false, true])
    func eventContextIsTheJourneyContextAndOutcomeState(kind: StoreKind, batched: Bool) throws {
        let store = try Self.store(kind)
        var win = OutcomeUpdate()
        win.setActivated7d = true
        win.firstWin = (minutes: 5, at: 15, event: "win")
        try store.applyOutcome(try store.existingHandle(of: "u0"), update: win, at: 15)
        try store.batch(batched) {
            for id in Self.users {
                let user = try store.existingHandle(of: id)
                let journey = try #require(try store.journeyContext(user))
                let state = try #require(try store.outcomeState(user, withFirstWin: true))
                for event in ["a", "b", "c", "b2", "win", "x"] {
                    let expected = EventContext(
                        persona: journey.persona, step: journey.steps.firstIndex(of: event), outcome: state)
                    #expect(try store.eventContext(user, event: event) == expected)
                }
            }
            #expect(try store.eventContext(store.existingHandle(of: "u2"), event: "b2").step == 1)
            #expect(try store.eventContext(store.existingHandle(of: "u0"), event: "a").outcome.hasFirstWin == true)
            let ghost = UserHandle(9_999)
            #expect(throws: EngineError.unknownUser(ghost.description)) {
                try store.eventContext(ghost, event: "a")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aStepThatIsNotTheEventIsRefusedBeforeAnyWrite(kind: StoreKind) throws {
        let store = try Self.store(kind)
        let before = try Record(store, users: Self.users)
        let user = try store.existingHandle(of: "u1")  // steps b, c, win
        var win = OutcomeUpdate()
        win.setActivated7d = true
        for step in [0, 2, 3, -1] {
            #expect(throws: EngineError.self) {
                try store.recordEvent(user, eventType: "c", metadata: nil, step: step, outcome: win, at: 500)
            }
        }
        #expect(try Record(store, users: Self.users) == before)
        try store.recordEvent(user, eventType: "c", metadata: nil, step: 1, outcome: nil, at: 500)
        #expect(try store.journeyMetrics(user)?.completionRate == 1.0 / 3.0)
    }
}

extension EngineStore {
    /// `batch(body)` when `batched`, else `body()` as is.
    fileprivate func batch(_ batched: Bool, _ body: () throws -> Void) throws {
        if batched { try batch(body) } else { try body() }
    }
}
