import LabTestSupport
import Testing

@testable import OnboardingEngine

/// `insertAssignment(userId:_:at:mode:)` with names prepared once (what the engine does for every user) must
/// write exactly what `insertAssignment(_:variant:steps:)` writes, on both stores (SPEC §1.9), whichever store
/// prepared the names.
@Suite("Prepared assignments")
struct PreparedAssignmentContractTests {
    static let flows: [(steps: [String], variant: String)] = [(["a", "win"], "v0"), (["b", "c", "win"], "v1")]

    static func flowId(_ steps: [String]) -> String { FlowID.make(persona: "p", steps: steps) }

    /// Everything a store answers about its users, for comparing two stores.
    struct Record: Equatable {
        var assignments: [Assignment?] = []
        var contexts: [JourneyContext?] = []
        var metrics: [JourneyMetrics?] = []
        var journeys: [Journey] = []
        var totals: [FlowWindowTotals] = []
        var trend: [TrendPoint] = []

        init(_ store: any EngineStore, users: [String]) throws {
            for id in users {
                let user = try #require(try store.handle(of: id))
                assignments.append(try store.assignment(user))
                contexts.append(try store.journeyContext(user))
                metrics.append(try store.journeyMetrics(user))
            }
            journeys = try store.recentJourneys(since: 0)
            // In a fixed order: a store returns the flows in any order (the memory store's follows string hashes,
            // which are seeded per process), and two personas can present the same steps.
            totals = (try store.windowTotals(since: 0, now: 50 * 1440) ?? []).sorted {
                ($0.persona, $0.steps.joined(separator: "\u{1F}")) < ($1.persona, $1.steps.joined(separator: "\u{1F}"))
            }
            trend = try store.activationTrend(days: 0...60)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func preparedInsertsWriteWhatPlainInsertsWrite(kind: StoreKind) throws {
        let prepared = try kind.makeStore()
        let plain = try kind.makeStore()
        // Names prepared by a third store: a token that is not the inserting store's own.
        let foreign = try kind.makeStore()
        _ = foreign.prepareAssignment(persona: "other", flowId: "other:x", variant: "x", steps: ["x"])
        let own = Self.flows.map {
            prepared.prepareAssignment(
                persona: "p", flowId: Self.flowId($0.steps), variant: $0.variant, steps: $0.steps)
        }
        // Prepared in reverse order after another flow, so the foreign tokens are numbered unlike the own ones.
        let alien = Array(
            Self.flows.reversed().map {
                foreign.prepareAssignment(
                    persona: "p", flowId: Self.flowId($0.steps), variant: $0.variant, steps: $0.steps)
            }.reversed())
        var users: [String] = []
        for i in 0..<40 {
            let id = "u\(i)"
            let f = i % 2
            let at = 10 + i * 977
            let mode: AssignmentMode = i % 3 == 0 ? .explore : .exploit
            try prepared.insertAssignment(userId: id, i % 4 < 2 ? own[f] : alien[f], at: at, mode: mode)
            let flow = Self.flows[f]
            try plain.insertAssignment(
                Assignment(
                    id: id, userId: id, persona: "p", flowId: Self.flowId(flow.steps), assignedAt: at, mode: mode,
                    lastUpdated: at), variant: flow.variant, steps: flow.steps)
            users.append(id)
        }
        for store in [prepared, plain] {
            var win = OutcomeUpdate()
            win.setActivated7d = true
            win.firstWin = (minutes: 5, at: 15, event: "win")
            try store.applyOutcome(try store.existingHandle(of: "u0"), update: win, at: 15)
            try store.markStepCompleted(try store.existingHandle(of: "u1"), step: "c", at: 1_000)
        }
        let a = try Record(prepared, users: users)
        #expect(a == (try Record(plain, users: users)))
        #expect(a.journeys.count == 40 && a.totals.count == 2)
        #expect(try prepared.assignment(userId: "u2")?.flowId == Self.flowId(["a", "win"]))
        #expect(try prepared.journeyContext(userId: "u3")?.steps == ["b", "c", "win"])
    }

    @Test(arguments: StoreKind.allCases)
    func aPreparedInsertRefusesADuplicateAndRollsBack(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let flow = store.prepareAssignment(persona: "p", flowId: Self.flowId(["a"]), variant: "v0", steps: ["a"])
        try store.insertAssignment(userId: "u1", flow, at: 10, mode: .exploit)
        #expect(throws: EngineError.duplicateUser("u1")) {
            try store.insertAssignment(userId: "u1", flow, at: 20, mode: .explore)
        }
        #expect(try store.assignment(userId: "u1")?.assignedAt == 10)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.transaction {
                try store.insertAssignment(userId: "u2", flow, at: 30, mode: .exploit)
                throw Abort()
            }
        }
        #expect(try store.handle(of: "u2") == nil)
        #expect(try store.recentJourneys(since: 0).map(\.userId) == ["u1"])
    }

    /// A memory store's token is its profile number. Another store's token with the same number must not be
    /// taken for it: here store X's second flow (token 1) would name store Y's second flow of another persona.
    @Test func anotherMemoryStoresTokenIsNotTakenForItsOwn() throws {
        let x = MemoryStore()
        let y = MemoryStore()
        _ = x.prepareAssignment(persona: "p", flowId: "p:a", variant: "va", steps: ["a"])
        let xb = x.prepareAssignment(persona: "p", flowId: "p:b", variant: "vb", steps: ["b"])
        _ = y.prepareAssignment(persona: "q", flowId: "q:c", variant: "vc", steps: ["c"])
        let yd = y.prepareAssignment(persona: "q", flowId: "q:d", variant: "vd", steps: ["d"])
        #expect(xb.token == yd.token && xb.token >= 0)
        try y.insertAssignment(userId: "u1", xb, at: 10, mode: .exploit)
        #expect(try y.assignment(userId: "u1")?.persona == "p")
        #expect(try y.assignment(userId: "u1")?.flowId == "p:b")
        #expect(try y.journeyContext(userId: "u1")?.steps == ["b"])
        #expect(try y.recentJourneys(since: 0).first?.variant == "vb")
    }
}
