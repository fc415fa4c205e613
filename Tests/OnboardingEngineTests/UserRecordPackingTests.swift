import LabTestSupport
import Stochastics
import Testing

@testable import OnboardingEngine

/// The memory store packs a user into a 32-byte record beside its id (32-bit time offsets, one interned profile, a
/// 32-bit step mask) and keeps what does not pack in side tables. These cases are the ones that do not pack; both
/// stores must answer them exactly alike (SPEC §1.9), through rollbacks too.
@Suite("User records that do not pack")
struct UserRecordPackingTests {
    /// 40 steps: positions past 32 go to the memory store's side table.
    static let longFlow = (0..<39).map { "s\($0)" } + ["win"]

    func assign(_ store: any EngineStore, _ id: String, at minute: Minute, steps: [String] = longFlow) throws
        -> UserHandle
    {
        try store.insertAssignment(
            Assignment(
                id: id, userId: id, persona: "p", flowId: FlowID.make(persona: "p", steps: steps), assignedAt: minute,
                mode: .explore, lastUpdated: minute), variant: "v", steps: steps)
    }

    /// The record is 32 bytes of plain data: copying one (every read of a user) retains nothing.
    @Test func recordIsThirtyTwoBytesOfPlainData() {
        #expect(MemoryLayout<MemoryStore.UserRecord>.size == 32)
        #expect(_isPOD(MemoryStore.UserRecord.self))
    }

    @Test(arguments: StoreKind.allCases)
    func farTimesIrregularWinsAndLongFlowsReadBackExactly(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let start = 1_000
        let user = try assign(store, "far", at: start)
        // Offsets beyond 32 bits (about 4,083 years of minutes) and a first win whose moment is not
        // assignment + time to win.
        let far = start + Int(Int32.max) + 10
        var update = OutcomeUpdate()
        update.setActivated7d = true
        update.firstWin = (minutes: 77, at: start + 5_000, event: "win")
        try store.applyOutcome(user, update: update, at: far)
        for step in ["s0", "s35", "s35", "win", "s2"] { try store.markStepCompleted(user, step: step, at: far + 1) }
        let metrics = try #require(try store.journeyMetrics(user))
        #expect(metrics.timeToFirstWinMinutes == 77)
        #expect(metrics.firstAhaMomentAt == start + 5_000)
        #expect(metrics.activationEvent == "win")
        #expect(metrics.updatedAt == far + 1)
        #expect(metrics.completionRate == 4.0 / 40.0)
        #expect(try store.assignment(user)?.lastUpdated == far)

        // A regular user beside it reads back as packed.
        let near = try assign(store, "near", at: start + 1, steps: ["a", "win"])
        var win = OutcomeUpdate()
        win.setActivated7d = true
        win.firstWin = (minutes: 30, at: start + 31, event: "win")
        try store.applyOutcome(near, update: win, at: start + 31)
        let nearMetrics = try #require(try store.journeyMetrics(near))
        #expect(nearMetrics.timeToFirstWinMinutes == 30 && nearMetrics.firstAhaMomentAt == start + 31)
        #expect(try store.journeyMetrics(user) == metrics)
    }

    /// A rolled-back change restores the side tables with the record: the irregular times and the steps past 32.
    @Test(arguments: StoreKind.allCases)
    func rollbackRestoresWhatDidNotPack(kind: StoreKind) throws {
        let store = try kind.makeStore()
        let user = try assign(store, "u", at: 0)
        try store.markStepCompleted(user, step: "s33", at: 10)
        let before = try #require(try store.journeyMetrics(user))
        let assignmentBefore = try store.assignment(user)
        #expect(throws: EngineError.self) {
            try store.transaction {
                var update = OutcomeUpdate()
                update.setRetained30d = true
                update.firstWin = (minutes: 5, at: 99, event: "win")
                try store.applyOutcome(user, update: update, at: Int(Int32.max) + 1)
                try store.markStepCompleted(user, step: "s34", at: Int(Int32.max) + 2)
                try store.rewriteStepOrder(user, steps: ["x", "win"], at: Int(Int32.max) + 3)
                throw EngineError.store("roll back")
            }
        }
        #expect(try store.journeyMetrics(user) == before)
        #expect(try store.assignment(user) == assignmentBefore)
        #expect(try store.journeyContext(user)?.steps == Self.longFlow)
    }

    /// Users of one group whose signups are years apart: the memory store's window index keeps the far ones
    /// apart from its run of days, and the window's totals still equal the SQLite store's.
    @Test func windowTotalsOverFarApartSignupsMatchSQLite() throws {
        let memory = try StoreKind.memory.makeStore()
        let sqlite = try StoreKind.sqlite.makeStore()
        let minutes = [0, 1_440, 1_441, 5_000_000, 5_000_001, 20 * 1_440, 9_000_000, 3]
        for store in [memory, sqlite] {
            for (k, minute) in minutes.enumerated() {
                let user = try assign(store, "u\(k)", at: minute, steps: ["a", "win"])
                if k % 2 == 0 {
                    var update = OutcomeUpdate()
                    update.setActivated7d = true
                    update.firstWin = (minutes: 10 + k, at: minute + 10 + k, event: "win")
                    try store.applyOutcome(user, update: update, at: minute + 10 + k)
                }
            }
        }
        // Day boundaries (the memory store's index answers only those): days 6945, 3472–3473 and 30.
        for (since, now) in [(-1_440, 10_000_800), (1_440, 10_000_800), (4_999_680, 5_001_120), (0, 43_200)] {
            let m = try #require(try memory.windowTotals(since: since, now: now))
            let s = try #require(try sqlite.windowTotals(since: since, now: now))
            #expect(
                m.sorted { $0.persona + $0.steps.joined() < $1.persona + $1.steps.joined() }.map(\.totals)
                    == s.sorted { $0.persona + $0.steps.joined() < $1.persona + $1.steps.joined() }.map(\.totals),
                "window (\(since), \(now)]")
            #expect(m.map(\.totals.count).reduce(0, +) == minutes.filter { $0 > since }.count)
        }
    }

    /// The id index against a dictionary, through growth, deletions that shift probe runs back, and
    /// re-insertions, in a table small enough that runs wrap around its end.
    @Test func userIndexAgreesWithADictionary() throws {
        var index = UserIndex()
        var model: [String: Int] = [:]
        var ids: [Int: String] = [:]
        let random = RandomStream(seed: 11)
        var seq = 0
        for round in 0..<4_000 {
            if model.isEmpty || random.uniform() < 0.6 {
                let id = "id\(random.uniformInt(3_000))"
                let existing = index.insert(id, seq: seq, idOf: { ids[$0]! })
                #expect(existing == model[id], "insert \(id) in round \(round)")
                if existing == nil {
                    model[id] = seq
                    ids[seq] = id
                    seq += 1
                }
            } else {
                let victim = model.keys.sorted()[random.uniformInt(model.count)]
                index.remove(victim, seq: model[victim]!, idOf: { ids[$0]! })
                model[victim] = nil
            }
            if round % 500 == 0 || round == 3_999 {
                for k in 0..<3_000 {
                    let id = "id\(k)"
                    #expect(index.find(id, idOf: { ids[$0]! }) == model[id], "find \(id) in round \(round)")
                }
            }
        }
        #expect(model.count > 100)
    }
}

/// `outcomeState` is what `assignment` and `journeyMetrics` say, on both stores, for users in every state.
@Suite("Outcome state")
struct OutcomeStateTests {
    @Test(arguments: StoreKind.allCases)
    func outcomeStateAgreesWithTheRows(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        let store = engine.store
        var handles: [UserHandle] = []
        for k in 0..<6 { handles.append(try engine.assignUser(userId: "u\(k)", persona: "p", at: k).user) }
        try engine.handleEvent(user: handles[1], eventType: "win", at: 100)
        try engine.recordOutcome(user: handles[2], outcome: .retained30d, at: 100)
        try engine.recordOutcome(user: handles[3], outcome: .upgraded, at: 100)
        try engine.recordOutcome(user: handles[4], outcome: .activated, at: 8 * 1_440 + 10)  // late: no 7-day flag
        for user in handles {
            let a = try #require(try store.assignment(user))
            let m = try #require(try store.journeyMetrics(user))
            for withFirstWin in [false, true] {
                let state = try #require(try store.outcomeState(user, withFirstWin: withFirstWin))
                #expect(
                    state
                        == OutcomeState(
                            assignedAt: a.assignedAt, activated7d: a.activated7d, retained30d: a.retained30d,
                            upgraded: a.upgraded, hasFirstWin: withFirstWin ? m.firstAhaMomentAt != nil : nil),
                    "\(a.userId)")
            }
        }
        #expect(try store.outcomeState(handles[4], withFirstWin: true)?.hasFirstWin == true)
        #expect(try store.outcomeState(handles[4], withFirstWin: true)?.activated7d == false)
        #expect(try store.outcomeState(UserHandle(9_999), withFirstWin: true) == nil)
    }
}
