import LabTestSupport
import OnboardingEngine
import Testing

/// Inside a batch (the simulator's day; the SQLite store buffers its writes there) every operation reads what the
/// batch wrote and throws the errors it throws outside one.
@Suite("Operations inside a batch")
struct BatchContractTests {
    @Test(arguments: StoreKind.allCases)
    func batchedOperationsReadTheirWritesAndKeepTheErrors(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        let store = engine.store
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        try store.batch { _ = try engine.assignUser(userId: "stored", persona: "p", at: 0) }
        try store.batch { () throws -> Void in
            let (_, user) = try engine.assignUser(userId: "new", persona: "p", at: 10)
            #expect(throws: EngineError.duplicateUser("new")) {
                _ = try engine.assignUser(userId: "new", persona: "p", at: 11)
            }
            #expect(throws: EngineError.duplicateUser("stored")) {
                _ = try engine.assignUser(userId: "stored", persona: "p", at: 11)
            }
            #expect(throws: EngineError.unknownUser("nobody")) {
                try engine.handleEvent(userId: "nobody", eventType: "a", at: 12)
            }
            #expect(throws: EngineError.unknownUser("nobody")) {
                try engine.recordOutcome(userId: "nobody", outcome: .retained30d, at: 12)
            }
            try engine.handleEvent(user: user, eventType: "a", at: 12)
            try engine.handleEvent(user: user, eventType: "win", at: 13)
            #expect(try store.handle(of: "new") == user)
            #expect(try store.userId(of: user) == "new")
            let metrics = try store.journeyMetrics(user)
            #expect(metrics?.activated7d == true)
            #expect(metrics?.completionRate == 1)
            #expect(metrics?.timeToFirstWinMinutes == 3)
            #expect(metrics?.firstAhaMomentAt == 13)
            #expect(metrics?.activationEvent == "win")
            #expect(try store.assignment(user)?.activated7d == true)
            #expect(try store.journeyContext(userId: "stored")?.steps == ["a", "win"])
            try engine.recordOutcome(userId: "stored", outcome: .retained30d, at: 20)
            #expect(try store.assignment(userId: "stored")?.retained30d == true)
            // What the nightly job reads sees the batch's writes.
            #expect(try store.recentJourneys(since: -1).map(\.userId).sorted() == ["new", "stored"])
            let report = try engine.runNightlyLearningJob(now: 30)
            #expect(report.job.status == .completed)
        }
        #expect(try store.journeyMetrics(userId: "new")?.completionRate == 1)
        #expect(try store.assignment(userId: "stored")?.retained30d == true)
        #expect(try engine.getAllFlowPatterns().map(\.sampleSize) == [2])
    }
}
