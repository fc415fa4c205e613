import Foundation
import OnboardingEngine
import Simulation
import Stochastics
import Testing

/// Step funnels (issue 14, item 4): the walk, activation gated by the activation step, flows.csv's counts and the
/// oracle's marginal activation.
@Suite("Step funnels")
struct FunnelTests {
    /// Continuations of steps a, b, win, c; activation is `win`, the third step.
    static let continuation = [0.9, 0.7, 0.8, 0.5]

    static func world(funnel: Funnel?, upgrade: Upgrade = 0.1) -> World {
        let truth = FlowTruth(
            activation7d: 0.6, retentionIfActivated: 0.5, retentionIfNot: 0.1, upgrade: upgrade,
            timeToFirstWin: .lognormal(medianMinutes: 60, sigma: 0.8), funnel: funnel)
        let persona = PersonaModel(
            id: "p", share: 1, activationEvent: "win", v3Default: [(0, "v", 1)],
            flows: [FlowModel(id: "F", steps: ["a", "b", "win", "c"], truth: truth)])
        return World(
            horizonDays: 40, traffic: TrafficModel(schedule: [(0, 400)], poisson: false), personas: [persona])
    }

    static let seed: UInt64 = 2024

    /// One replicate with its users and flows.csv rows recorded, and the engine it drove (the memory store keeping
    /// users as long as their last outcome may arrive).
    static func run(_ world: World, seed: UInt64 = seed) throws -> (ReplicateResult, ReplicateRunner) {
        let runner = try ReplicateRunner(
            config: SimulationConfig(world: world, settings: EngineSettings(), seed: seed), replicate: 0,
            store: MemoryStore(outcomeRetentionMinutes: world.outcomeRetentionMinutes))
        runner.recordUsers = true
        runner.recordFlows = true
        return (try runner.run(), runner)
    }

    @Test("the walk stops at the first failed continuation: steps completed by inverse CDF")
    func walk() {
        let funnel = Funnel(steps: ["a", "b", "win", "c"], activationEvent: "win", continuation: ["b": 0.5, "c": 0.2])
        #expect(funnel.continuation == [1, 0.5, 1, 0.2])
        #expect(funnel.activationDepth == 3)
        #expect(funnel.activationReach == 0.5)
        #expect(funnel.stepsCompleted(u: 0.0) == 4)
        #expect(funnel.stepsCompleted(u: 0.099) == 4)
        #expect(funnel.stepsCompleted(u: 0.1) == 3)
        #expect(funnel.stepsCompleted(u: 0.5) == 1)
        #expect(funnel.stepsCompleted(u: 0.99) == 1)
        // The activation event not among the steps: activation needs every step.
        #expect(Funnel(steps: ["a", "b"], activationEvent: "win", continuation: [:]).activationDepth == 2)
    }

    @Test("flows.csv counts equal a recount from the funnel stream; shares match the continuations' products")
    func countsMatchTheFunnelStream() throws {
        let funnel = Funnel(continuation: Self.continuation, activationDepth: 3)
        let (result, _) = try Self.run(Self.world(funnel: funnel))
        let users = result.users.sorted { $0.index < $1.index }
        #expect(users.count == 40 * 400)
        // The funnel stream's uniforms, one per user in generation order, drawn independently of the runner.
        let stream = RandomStream(master: Self.seed, replicate: 0, stream: .funnel)
        let uniforms = users.map { _ in stream.uniform() }
        #expect(users.map(\.uFunnel) == uniforms)
        let all = Self.continuation.reduce(1, *)
        let toActivation = Self.continuation.prefix(3).reduce(1, *)
        let completed = uniforms.filter { $0 < all }.count
        let activated = zip(uniforms, users).filter { $0 < toActivation && $1.uActivation < 0.6 }.count
        #expect(result.flows.map(\.presented).reduce(0, +) == users.count)
        #expect(result.flows.map(\.completed).reduce(0, +) == completed)
        #expect(result.flows.map(\.activated).reduce(0, +) == activated)

        // Binomial tolerance: within 4 standard errors of the closed forms.
        let n = Double(users.count)
        for (count, p) in [(completed, all), (activated, toActivation * 0.6)] {
            let share = Double(count) / n
            #expect(abs(share - p) < 4 * (p * (1 - p) / n).squareRoot(), "share \(share) vs \(p)")
        }
    }

    @Test("a checkpoint keeps the flows.csv rows (and leaves them out when none were recorded)")
    func checkpointRoundTrip() throws {
        let (result, _) = try Self.run(Self.world(funnel: Funnel(continuation: Self.continuation, activationDepth: 3)))
        #expect(!result.flows.isEmpty)
        let decoded = try JSONDecoder().decode(ReplicateResult.self, from: JSONEncoder().encode(result))
        #expect(decoded.flows == result.flows)
        #expect(decoded.daily == result.daily)
        var none = result
        none.flows = []
        let text = String(decoding: try JSONEncoder().encode(none), as: UTF8.self)
        #expect(!text.contains("\"flows\""))
    }

    @Test("the engine's completion rate comes from the walk")
    func engineCompletionRate() throws {
        let funnel = Funnel(continuation: Self.continuation, activationDepth: 3)
        let world = Self.world(funnel: funnel)
        let (result, runner) = try Self.run(world)
        let truth = world.personas[0].flows[0].truth
        var checked = 0
        // Users whose events all fall before the horizon's end (activation comes within 7 days).
        for user in result.users where user.signupMinute < (world.horizonDays - 8) * Clock.minutesPerDay {
            guard let metrics = try runner.engine.store.journeyMetrics(userId: "u\(user.index)") else { continue }
            let outcome = UserOutcome(user: user, truth: truth)
            let walked = try #require(outcome.stepsCompleted)
            // The activation step (the third) counts as completed only when the user activates.
            let expected = walked >= 3 && !outcome.activated ? walked - 1 : walked
            #expect(metrics.completionRate == Double(expected) / 4, "user \(user.index) walked \(walked)")
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test("the oracle scores the marginal activation: reach × activation_7d")
    func oracleUsesMarginalActivation() {
        let funnel = Funnel(continuation: Self.continuation, activationDepth: 3)
        let world = Self.world(funnel: funnel)
        let truth = world.personas[0].flows[0].truth
        let p7 = 0.9 * 0.7 * 0.8 * 0.6
        #expect(abs(truth.activation - p7) < 1e-15)
        #expect(abs(truth.retention30d - (p7 * 0.5 + (1 - p7) * 0.1)) < 1e-15)
        let expected = WinScore.score(
            winRate7d: truth.activation, winRate30d: truth.retention30d,
            avgMinutes: Oracle.expectedTimeToWin(truth.timeToFirstWin), weights: world.objective.weights,
            horizon: world.objective.speedHorizonMinutes)
        #expect(Oracle(world: world).trueScore(truth) == expected)
        var withoutFunnel = truth
        withoutFunnel.funnel = nil
        #expect(Oracle(world: world).trueScore(withoutFunnel) > expected)
    }

    @Test("an all-ones funnel gives the same replicate as no funnel")
    func allOnesEqualsNone() throws {
        let ones = Funnel(continuation: [1, 1, 1, 1], activationDepth: 3)
        let (with, _) = try Self.run(Self.world(funnel: ones))
        let (without, _) = try Self.run(Self.world(funnel: nil))
        #expect(with.daily == without.daily)
        #expect(with.summaries == without.summaries)
        #expect(with.daily.contains { ($0.activationRate ?? 0) > 0 })
        // Same decisions, user by user (the flows.csv counts differ only in `completed`: every step is walked).
        #expect(with.flows.map(\.activated) == without.flows.map(\.activated))
        #expect(with.flows.map(\.retained) == without.flows.map(\.retained))
        #expect(with.flows.map(\.completed) == with.flows.map(\.presented))
    }
}
