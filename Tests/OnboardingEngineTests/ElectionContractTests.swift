import LabTestSupport
import OnboardingEngine
import Testing

@Suite("Champion election and governance")
struct ElectionContractTests {
    @Test(arguments: StoreKind.allCases)
    func minimumSampleRule(kind: StoreKind) throws {
        // The setting (10) cannot lower the law (30): the effective minimum is 30.
        let engine = try kind.makeEngine { $0.minChampionSample = 10 }
        try engine.seedPattern("p", ["small"], rate7: 0.9, n: 29)
        try engine.seedPattern("p", ["big"], rate7: 0.5, n: 30)
        let result = try engine.electChampionFlows(now: 100)
        #expect(result.changes.map(\.newChampion) == ["p::[big]"])
        #expect(try engine.getChampionFlow(persona: "p")?.steps == ["big"])

        // A researcher who lowers both sees the 29-sample pattern elected.
        let lowered = try kind.makeEngine {
            $0.minChampionSample = 10
            $0.laws.minChampionSample = 10
        }
        try lowered.seedPattern("p", ["small"], rate7: 0.9, n: 29)
        try lowered.seedPattern("p", ["big"], rate7: 0.5, n: 30)
        _ = try lowered.electChampionFlows(now: 100)
        #expect(try lowered.getChampionFlow(persona: "p")?.steps == ["small"])

        // Nothing qualifies: no champion, no change.
        let none = try kind.makeEngine()
        try none.seedPattern("p", ["a"], rate7: 0.9, n: 3)
        #expect(try none.electChampionFlows(now: 1).changes.isEmpty)
        #expect(try none.getChampionFlow(persona: "p") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func tieBreaksBySampleThenFlowId(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.seedPattern("p", ["c"], rate7: 0.6, n: 40)
        try engine.seedPattern("p", ["b"], rate7: 0.6, n: 50)
        try engine.seedPattern("q", ["y"], rate7: 0.6, n: 40)
        try engine.seedPattern("q", ["x"], rate7: 0.6, n: 40)
        let result = try engine.electChampionFlows(now: 5)
        #expect(result.changes.map(\.newChampion) == ["p::[b]", "q::[x]"])
    }

    @Test(arguments: StoreKind.allCases)
    func unchampioningAndTimestamps(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.seedPattern("p", ["old"], rate7: 0.6, n: 40)
        _ = try engine.electChampionFlows(now: 1440)
        try engine.seedPattern("p", ["new"], rate7: 0.65, n: 40, at: 2000)
        let result = try engine.electChampionFlows(now: 2880)
        let change = try #require(result.changes.first)
        #expect(change.oldChampion == "p::[old]")
        #expect(change.newChampion == "p::[new]")
        #expect(abs(change.winScoreDelta - 0.5 * 0.05) < 1e-12)
        let patterns = try engine.getAllFlowPatterns(persona: "p")
        let old = try #require(patterns.first { $0.steps == ["old"] })
        let new = try #require(patterns.first { $0.steps == ["new"] })
        #expect(!old.isChampion)
        #expect(old.lastChampionAt == 1440)
        #expect(new.isChampion)
        #expect(new.lastChampionAt == 2880)
        #expect(new.electedWinScore == new.winScore)
        let events = try engine.store.orchestratorEvents().filter {
            $0.eventType == OrchestratorEventType.championChanged.rawValue
        }
        #expect(events.count == 2)
        #expect(events.last?.payload.contains("\"old_champion\":\"p::[old]\"") == true)
        // Election is idempotent.
        #expect(try engine.electChampionFlows(now: 2881).changes.isEmpty)
    }

    /// SPEC §1.7a: a champion whose sample falls below the minimum is not replaced by a flow whose score is more
    /// than 0.10 lower; a flow within 0.10 does replace it.
    @Test(arguments: StoreKind.allCases)
    func rollbackLaw(kind: StoreKind) throws {
        let engine = try kind.makeEngine()
        try engine.seedPattern("p", ["champ"], rate7: 0.8, n: 40)  // 0.40
        _ = try engine.electChampionFlows(now: 1)
        try engine.seedPattern("p", ["champ"], rate7: 0.8, n: 20)  // sample falls below 30
        try engine.seedPattern("p", ["worse"], rate7: 0.5, n: 40)  // 0.25 < 0.40 − 0.10
        let result = try engine.electChampionFlows(now: 2)
        #expect(result.changes.isEmpty)
        #expect(result.rollbacks.map(\.rejectedCandidate) == ["p::[worse]"])
        #expect(try engine.getChampionFlow(persona: "p")?.steps == ["champ"])
        #expect(
            try engine.store.orchestratorEvents().contains { $0.eventType == OrchestratorEventType.rollback.rawValue })

        try engine.seedPattern("p", ["close"], rate7: 0.7, n: 40)  // 0.35 ≥ 0.30
        let second = try engine.electChampionFlows(now: 3)
        #expect(second.changes.map(\.newChampion) == ["p::[close]"])
    }

    /// SPEC §1.7b: the sitting champion's score falling more than 0.10 below its score at election raises
    /// `onboarding_win_score_degraded` once (on the night it crosses the line).
    @Test(arguments: StoreKind.allCases)
    func degradationAlert(kind: StoreKind) throws {
        let engine = try kind.makeEngine {
            $0.epsilon = 0
            $0.minChampionSample = 1
            $0.laws.minChampionSample = 1
        }
        try engine.addPersona("p", activationEvent: "win", defaults: [["win"]])
        // Night 1: 10 users, all activate → rate 1.0, elected at score 0.5 + speed.
        for i in 0..<10 {
            try engine.initForUser(userId: "a\(i)", persona: "p", at: i)
            try engine.handleEvent(userId: "a\(i)", eventType: "win", at: i + 100)
        }
        #expect(try engine.runNightlyLearningJob(now: 1440).election.changes.count == 1)
        let elected = try #require(try engine.getChampionFlow(persona: "p")?.electedWinScore)
        // Night 2: 30 more users who do not activate: rate 10/40 = 0.25 → score drops by 0.375 > 0.10.
        for i in 0..<30 { try engine.initForUser(userId: "b\(i)", persona: "p", at: 1500 + i) }
        let night2 = try engine.runNightlyLearningJob(now: 2880)
        #expect(night2.election.degradations == ["p::[win]"])
        let champion = try #require(try engine.getChampionFlow(persona: "p"))
        #expect(champion.winScore < elected - 0.10)
        // Night 3: still degraded, but no new alert.
        #expect(try engine.runNightlyLearningJob(now: 4320).election.degradations.isEmpty)
        let alerts = try engine.store.orchestratorEvents().filter {
            $0.eventType == OrchestratorEventType.winScoreDegraded.rawValue
        }
        #expect(alerts.count == 1)
    }

    /// `stale_patterns: drop_from_election` keeps absent patterns out of the election; `keep` (the seed) does not.
    @Test(arguments: StoreKind.allCases, StalePatterns.allCases)
    func stalePatterns(kind: StoreKind, stale: StalePatterns) throws {
        let engine = try kind.makeEngine {
            $0.stalePatterns = stale
            $0.epsilon = 0
        }
        try engine.addPersona("p", activationEvent: "win", defaults: [["live"]])
        try engine.seedPattern("p", ["ghost"], rate7: 0.99, n: 500)  // never in any window
        for i in 0..<40 { try engine.initForUser(userId: "u\(i)", persona: "p", at: i) }
        _ = try engine.runNightlyLearningJob(now: 1440)
        let champion = try engine.getChampionFlow(persona: "p")?.steps
        #expect(champion == (stale == .keep ? ["ghost"] : ["live"]))
    }
}
