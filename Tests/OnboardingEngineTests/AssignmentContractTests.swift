import LabTestSupport
import OnboardingEngine
import Testing

@Suite("Assignment policies, clamp and holdback")
struct AssignmentContractTests {
    /// Three-sigma binomial tolerance for a share p estimated from n draws.
    static func tolerance(_ p: Double, _ n: Int) -> Double { 3 * (p * (1 - p) / Double(n)).squareRoot() }

    /// Exploration picks non-champions in proportion to exploration priority (SPEC §1.5 step 2), with the
    /// effective ε clamped to the law (0.5 configured → 0.3). 20,000 draws; every share is checked within three
    /// binomial standard errors of its expectation (a false failure rate of about 0.3% per share).
    @Test(arguments: StoreKind.allCases)
    func explorationIsProportionalToPriorityAndClamped(kind: StoreKind) throws {
        let engine = try kind.makeEngine(seed: 2024) { $0.epsilon = 0.5 }
        try engine.addPersona("p", defaults: [["a"]])
        try engine.seedPattern("p", ["champ"], rate7: 0.9, n: 100)
        try engine.seedPattern("p", ["x"], rate7: 0.1, n: 5)  // priority 1.0
        try engine.seedPattern("p", ["y"], rate7: 0.1, n: 15)  // priority 0.5
        try engine.seedPattern("p", ["z"], rate7: 0.1, n: 40)  // priority 0.1
        _ = try engine.electChampionFlows(now: 1)
        #expect(try engine.getChampionFlow(persona: "p")?.steps == ["champ"])
        let draws = 20_000
        var counts: [String: Int] = [:]
        var explore = 0
        try engine.store.batch {
            for i in 0..<draws {
                let a = try engine.assignFlowForUser(userId: "u\(i)", persona: "p", at: 10 + i)
                if a.mode == .explore {
                    explore += 1
                    counts[a.steps[0], default: 0] += 1
                } else {
                    #expect(a.steps == ["champ"])
                }
            }
        }
        let share = Double(explore) / Double(draws)
        #expect(
            abs(share - 0.3) < Self.tolerance(0.3, draws), "explore share \(share), expected 0.3 (ε clamped from 0.5)")
        #expect(counts["champ"] == nil)
        for (flow, p) in [("x", 1.0 / 1.6), ("y", 0.5 / 1.6), ("z", 0.1 / 1.6)] {
            let observed = Double(counts[flow, default: 0]) / Double(explore)
            #expect(abs(observed - p) < Self.tolerance(p, explore), "\(flow): observed \(observed), expected \(p)")
        }
        let clampEvents = try engine.store.orchestratorEvents().filter {
            $0.eventType == OrchestratorEventType.epsilonClamped.rawValue
        }
        #expect(clampEvents.count == 1)
        #expect(clampEvents.first?.payload.contains("\"effective_epsilon\":0.3") == true)
    }

    @Test(arguments: StoreKind.allCases)
    func holdbackShare(kind: StoreKind) throws {
        let engine = try kind.makeEngine(seed: 99) { $0.holdback = 0.2 }
        try engine.addPersona("p", defaults: [["a"], ["b"]])
        try engine.seedPattern("p", ["champ"], rate7: 0.9, n: 100)
        _ = try engine.electChampionFlows(now: 1)
        let draws = 20_000
        var holdback = 0
        try engine.store.batch {
            for i in 0..<draws {
                let a = try engine.assignFlowForUser(userId: "u\(i)", persona: "p", at: 10 + i)
                if a.mode == .holdback {
                    holdback += 1
                    #expect(a.steps == ["a"] || a.steps == ["b"])
                }
            }
        }
        let share = Double(holdback) / Double(draws)
        #expect(abs(share - 0.2) < Self.tolerance(0.2, draws), "holdback share \(share), expected 0.2")
        #expect(try engine.store.assignment(userId: "u0") != nil)
    }

    /// While no champion exists the seed policy serves the v3 default (a weighted split), mode exploit.
    @Test(arguments: StoreKind.allCases)
    func v3FallbackWithoutChampion(kind: StoreKind) throws {
        let engine = try kind.makeEngine(seed: 5) { $0.epsilon = 0 }
        try engine.configurePersona(
            PersonaConfig(
                persona: "p", activationEvent: "first_lead",
                v3Default: [
                    V3Option(steps: ["a", "first_lead"], variant: "product_first", weight: 3),
                    V3Option(steps: ["b", "first_lead"], variant: "chatbot_first", weight: 1),
                ]))
        var a = 0
        let n = 4000
        for i in 0..<n {
            let r = try engine.initForUser(userId: "u\(i)", persona: "p", at: i)
            #expect(r.mode == .exploit)
            if r.variant == "product_first" {
                a += 1
                #expect(r.flowId == "p::[a>first_lead]")
            }
        }
        let share = Double(a) / Double(n)
        #expect(abs(share - 0.75) < Self.tolerance(0.75, n), "share of the weight-3 option \(share)")
        #expect(throws: EngineError.unknownPersona("nobody")) {
            try engine.initForUser(userId: "z", persona: "nobody", at: 1)
        }
        #expect(throws: EngineError.duplicateUser("u0")) { try engine.initForUser(userId: "u0", persona: "p", at: 1) }
    }

    /// The other policies fall back to the v3 default while no pattern has a sample, then use the patterns.
    @Test(arguments: StoreKind.allCases, [PolicyKind.epsilonGreedy, .thompson, .ucb1])
    func otherPoliciesFallBackThenLearn(kind: StoreKind, policy: PolicyKind) throws {
        let engine = try kind.makeEngine(seed: 3) {
            $0.policy = policy
            $0.epsilon = 0.1
        }
        try engine.addPersona("p", defaults: [["a"]])
        try engine.registerCandidateFlow(persona: "p", steps: ["b"], variant: nil, at: 0)
        #expect(try engine.assignFlowForUser(userId: "first", persona: "p", at: 1).steps == ["a"])
        try engine.seedPattern("p", ["a"], rate7: 0.2, n: 200)
        try engine.seedPattern("p", ["b"], rate7: 0.9, n: 200)
        var b = 0
        for i in 0..<500 where try engine.assignFlowForUser(userId: "u\(i)", persona: "p", at: 10 + i).steps == ["b"] {
            b += 1
        }
        // ε-greedy picks b with probability 0.95; Thompson and UCB1 essentially always at these counts.
        #expect(b > 440, "\(policy): \(b) of 500 users got the better flow")
    }
}
