import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Stochastics
import Testing

@Suite("recordOutcome, handleEvent and the nightly job")
struct OutcomeContractTests {
    @Test(arguments: StoreKind.allCases)
    func sevenDayRuleAndFirstTimeOnly(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.addPersona("p", defaults: [["a", "first_lead"]])
        try engine.initForUser(userId: "late", persona: "p", at: 0)
        try engine.initForUser(userId: "ontime", persona: "p", at: 0)
        // Exactly 7 days counts; one minute later does not.
        try engine.recordOutcome(userId: "ontime", outcome: "activated", at: 7 * 1440)
        try engine.recordOutcome(userId: "late", outcome: "activated", at: 7 * 1440 + 1)
        #expect(try engine.store.assignment(userId: "ontime")?.activated7d == true)
        #expect(try engine.store.assignment(userId: "late")?.activated7d == false)
        let late = try #require(try engine.store.journeyMetrics(userId: "late"))
        #expect(late.timeToFirstWinMinutes == 7 * 1440 + 1)
        #expect(late.firstAhaMomentAt == 7 * 1440 + 1)
        #expect(late.activationEvent == "activated")
        // Repeating changes nothing (first-time fields stay).
        try engine.recordOutcome(userId: "ontime", outcome: "activated", at: 9000)
        let ontime = try #require(try engine.store.journeyMetrics(userId: "ontime"))
        #expect(ontime.timeToFirstWinMinutes == 7 * 1440)
        #expect(ontime.activated7d)
        let before = try engine.store.assignment(userId: "ontime")
        try engine.recordOutcome(userId: "ontime", outcome: "retained_30d", at: 30 * 1440)
        try engine.recordOutcome(userId: "ontime", outcome: "retained_30d", at: 31 * 1440)
        let after = try #require(try engine.store.assignment(userId: "ontime"))
        #expect(after.retained30d && !after.upgraded)
        #expect(after.lastUpdated == 30 * 1440)
        #expect(before?.retained30d == false)
        try engine.recordOutcome(userId: "ontime", outcome: "upgraded", at: 40 * 1440)
        #expect(try engine.store.journeyMetrics(userId: "ontime")?.upgraded == true)
    }

    @Test(arguments: StoreKind.allCases)
    func unknownUserOrOutcomeWritesNothing(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.addPersona("p", defaults: [["a"]])
        try engine.initForUser(userId: "u", persona: "p", at: 0)
        let before = (try engine.store.assignment(userId: "u"), try engine.store.journeyMetrics(userId: "u"))
        #expect(throws: EngineError.unknownOutcome("churned")) {
            try engine.recordOutcome(userId: "u", outcome: "churned", at: 5)
        }
        #expect(throws: EngineError.unknownUser("ghost")) {
            try engine.recordOutcome(userId: "ghost", outcome: "activated", at: 5)
        }
        #expect(throws: EngineError.unknownUser("ghost")) {
            try engine.handleEvent(userId: "ghost", eventType: "a", at: 5)
        }
        let after = (try engine.store.assignment(userId: "u"), try engine.store.journeyMetrics(userId: "u"))
        #expect(before.0 == after.0)
        #expect(before.1 == after.1)
        #expect(try engine.store.assignment(userId: "ghost") == nil)
    }

    /// SPEC §1.6: step events complete steps; the persona's activation event records `activated`;
    /// a step-order rewrite changes what the learning job sees.
    @Test(arguments: StoreKind.allCases)
    func handleEventActivatesAndRewrites(kind: StoreKind) throws {
        let engine = try kind.makeEngine { $0.epsilon = 0 }
        try engine.addPersona("p", activationEvent: "first_lead", defaults: [["a", "b", "first_lead"]])
        try engine.initForUser(userId: "u", persona: "p", at: 0)
        try engine.handleEvent(userId: "u", eventType: "a", at: 10)
        try engine.handleEvent(userId: "u", eventType: "a", at: 11)
        #expect(abs((try engine.store.journeyMetrics(userId: "u")?.completionRate ?? 0) - 1.0 / 3) < 1e-12)
        try engine.handleEvent(userId: "u", eventType: "first_lead", at: 95)
        let m = try #require(try engine.store.journeyMetrics(userId: "u"))
        #expect(m.activated7d && m.timeToFirstWinMinutes == 95 && m.activationEvent == "first_lead")
        #expect(abs(m.completionRate - 2.0 / 3) < 1e-12)

        try engine.initForUser(userId: "w", persona: "p", at: 5)
        try engine.handleEvent(
            userId: "w", eventType: stepOrderRewrittenEvent, at: 6,
            metadata: JSONValue.stringArray(["b", "a", "first_lead"]))
        let journeys = try engine.getRecentJourneys(now: 1440)
        #expect(journeys.first { $0.userId == "w" }?.steps == ["b", "a", "first_lead"])
        #expect(journeys.first { $0.userId == "u" }?.steps == ["a", "b", "first_lead"])
        #expect(throws: EngineError.self) {
            try engine.handleEvent(userId: "w", eventType: stepOrderRewrittenEvent, at: 7, metadata: "oops")
        }
    }

    /// A rewritten step order obeys the scenario rules for flows (non-empty, no repeated step): a bad one is
    /// refused and neither the event nor the journey state is written.
    @Test(arguments: StoreKind.allCases)
    func rewriteWithRepeatedOrEmptyStepsIsRefused(kind: StoreKind) throws {
        let engine = try kind.makeEngine { $0.epsilon = 0 }
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "b", "win"]])
        try engine.initForUser(userId: "u", persona: "p", at: 0)
        for bad in [["a", "a"], ["a", ""], ["b", "win", "b"]] {
            #expect(throws: EngineError.self) {
                try engine.handleEvent(
                    userId: "u", eventType: stepOrderRewrittenEvent, at: 5, metadata: JSONValue.stringArray(bad))
            }
        }
        #expect(try engine.store.journeyContext(userId: "u")?.steps == ["a", "b", "win"])
        #expect(try engine.getRecentJourneys(now: 1440).map(\.steps) == [["a", "b", "win"]])
        if let sqlite = engine.store as? SQLiteStore { #expect(try sqlite.onboardingEventCount() == 0) }
    }

    /// A job that fails part-way (injected fault) leaves patterns and champions exactly as before, a `failed` job
    /// row with the message, and the failure event (SPEC §1.4).
    @Test(arguments: StoreKind.allCases, NightlyStage.allCases)
    func failedJobLeavesNoPartialUpdate(kind: StoreKind, stage: NightlyStage) throws {
        let engine = try kind.makeEngine {
            $0.epsilon = 0
            $0.minChampionSample = 1
            $0.laws.minChampionSample = 1
        }
        try engine.addPersona("p", activationEvent: "win", defaults: [["a"], ["b"]])
        for i in 0..<40 { try engine.initForUser(userId: "u\(i)", persona: "p", at: i) }
        try engine.runNightlyLearningJob(now: 1440)
        for i in 0..<40 {
            try engine.initForUser(userId: "v\(i)", persona: "p", at: 1500 + i)
            try engine.handleEvent(userId: "v\(i)", eventType: "win", at: 1600 + i)
        }
        let patternsBefore = try engine.store.patterns(persona: nil)
        let eventsBefore = try engine.store.orchestratorEvents()
        engine.faultInjector = { if $0 == stage { throw EngineError.injectedFault("disk on fire") } }
        let report = try engine.runNightlyLearningJob(now: 2880)
        engine.faultInjector = nil
        #expect(report.job.status == .failed)
        #expect(report.job.errorMessage == "injected fault: disk on fire")
        #expect(try engine.store.patterns(persona: nil) == patternsBefore)
        let jobs = try engine.store.jobs()
        #expect(jobs.map(\.status) == [.completed, .failed])
        let newEvents = Array(try engine.store.orchestratorEvents().dropFirst(eventsBefore.count))
        #expect(newEvents.map(\.eventType) == [OrchestratorEventType.jobFailed.rawValue])
        // The next night learns normally.
        #expect(try engine.runNightlyLearningJob(now: 4320).job.status == .completed)
        #expect(try engine.store.patterns(persona: nil) != patternsBefore)
    }

    @Test(arguments: StoreKind.allCases)
    func activationTrend(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.addPersona("p", activationEvent: "win", defaults: [["win"]])
        for i in 0..<6 { try engine.initForUser(userId: "d0-\(i)", persona: "p", at: 10 + i) }
        for i in 0..<4 { try engine.initForUser(userId: "d2-\(i)", persona: "p", at: 2 * 1440 + i) }
        for i in 0..<3 { try engine.handleEvent(userId: "d0-\(i)", eventType: "win", at: 100) }
        let trend = try engine.getActivationTrendData(days: 7, now: 3 * 1440)
        #expect(trend == [TrendPoint(day: 0, total: 6, activated: 3), TrendPoint(day: 2, total: 4, activated: 0)])
        #expect(trend.first?.activationRate == 0.5)
    }
}

/// The memory store keeps only what the window and pending outcomes need (SPEC §1.9).
@Suite("Memory store compaction")
struct MemoryCompactionTests {
    @Test func keepsOnlyTheWindowAndPendingOutcomes() throws {
        let store = MemoryStore()
        let engine = try V4Engine(store: store, random: RandomStream(seed: 3))
        try engine.addPersona("p", activationEvent: "win", defaults: [["win"]])
        for day in 0..<100 {
            for i in 0..<10 { try engine.initForUser(userId: "u\(day)-\(i)", persona: "p", at: day * 1440 + i) }
            try engine.runNightlyLearningJob(now: (day + 1) * 1440)
        }
        // Users assigned more than 31 days before the last night (minute 144000) are gone: retention outcomes
        // arrive at day 30. The cut-off is minute 144000 − 31·1440 = 99360, user u69-0's minute, inclusive.
        #expect(store.userCount == 309, "kept \(store.userCount) users")
        #expect(try store.assignment(userId: "u99-0") != nil)
        #expect(try store.assignment(userId: "u69-1") != nil)
        #expect(try store.assignment(userId: "u69-0") == nil)
        #expect(throws: EngineError.unknownUser("u0-0")) {
            try engine.recordOutcome(userId: "u0-0", outcome: "retained_30d", at: 101 * 1440)
        }
        // The window (assigned_at > 144000 − 30·1440 = 100800) holds days 70–99 but u70-0, assigned at 100800.
        #expect(try engine.getAllFlowPatterns(persona: "p").first?.sampleSize == 299)
    }

    /// Thousands of users a day: records span several 4,096-record chunks and the id index rebuilds, and every
    /// user kept is still found by id and by handle, every user dropped by neither.
    @Test func compactionAcrossChunksKeepsEveryHeldUserReachable() throws {
        let store = MemoryStore()
        let engine = try V4Engine(store: store, random: RandomStream(seed: 4))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        var handles: [String: UserHandle] = [:]
        for day in 0..<40 {
            for i in 0..<3_000 {
                let id = "u\(day)-\(i)"
                handles[id] = try engine.assignUser(userId: id, persona: "p", at: day * 1440 + i * 1440 / 3_000).user
            }
            try engine.runNightlyLearningJob(now: (day + 1) * 1440)
        }
        // Kept: assigned after minute 40·1440 − 31·1440 = 12960 (day 9 from its first minute on, exclusive).
        let kept = handles.filter { id, _ in
            let day = Int(id.dropFirst().prefix { $0 != "-" }) ?? -1
            let i = Int(id.split(separator: "-")[1]) ?? -1
            return day * 1440 + i * 1440 / 3_000 > 12960
        }
        #expect(store.userCount == kept.count)
        for (id, handle) in handles {
            let held = kept[id] != nil
            #expect(try (store.handle(of: id) == handle) == held, "\(id)")
            #expect(try (store.assignment(handle)?.userId == id) == held, "\(id)")
        }
        // A handle keeps working for events after compaction moved other records out.
        let late = try #require(handles["u39-5"])
        try engine.handleEvent(user: late, eventType: "win", at: 40 * 1440)
        #expect(try store.journeyMetrics(userId: "u39-5")?.activated7d == true)
        // A user appended in a rolled-back transaction is gone from the index too.
        #expect(throws: EngineError.self) {
            try store.transaction {
                try engine.initForUser(userId: "ghost", persona: "p", at: 40 * 1440)
                throw EngineError.store("roll back")
            }
        }
        #expect(try store.handle(of: "ghost") == nil)
        try engine.initForUser(userId: "ghost", persona: "p", at: 40 * 1440)
        #expect(try store.assignment(userId: "ghost") != nil)
    }
}
