import Foundation
import OnboardingEngine
import Simulation
import Stochastics
import Testing

/// Outcome structure and delays (issue 14, item 5): upgrade conditional on retention or activation, and retention
/// and upgrade recorded at a drawn delay.
@Suite("Outcome structure and delays")
struct OutcomeStructureTests {
    static let seed: UInt64 = 515

    static func world(upgrade: Upgrade, retentionDelay: OutcomeDelay? = nil, horizon: Int = 40) -> World {
        let truth = FlowTruth(
            activation7d: 0.6, retentionIfActivated: 0.5, retentionIfNot: 0.1, upgrade: upgrade,
            timeToFirstWin: .fixed(minutes: 60), retentionDelay: retentionDelay)
        let persona = PersonaModel(
            id: "p", share: 1, activationEvent: "win", v3Default: [(0, "v", 1)],
            flows: [FlowModel(id: "F", steps: ["a", "win"], truth: truth)])
        return World(
            horizonDays: horizon, traffic: TrafficModel(schedule: [(0, 400)], poisson: false), personas: [persona])
    }

    static func run(_ world: World) throws -> (ReplicateResult, ReplicateRunner) {
        try FunnelTests.run(world, seed: seed)
    }

    @Test("conditional upgrade: the marginal in closed form, the count user by user")
    func conditionalUpgrade() throws {
        let activation = 0.6
        let retention = activation * 0.5 + (1 - activation) * 0.1
        for (upgrade, marginal) in [
            (Upgrade.ifRetained(yes: 0.4, no: 0.05), retention * 0.4 + (1 - retention) * 0.05),
            (Upgrade.ifActivated(yes: 0.3, no: 0.02), activation * 0.3 + (1 - activation) * 0.02),
        ] {
            let world = Self.world(upgrade: upgrade)
            let truth = world.personas[0].flows[0].truth
            #expect(abs(truth.upgradeRate - marginal) < 1e-15)
            let (result, _) = try Self.run(world)
            let users = result.users
            let expected = users.filter { u in
                let activated = u.uActivation < activation
                let retained = u.uRetention < (activated ? 0.5 : 0.1)
                let p: Double
                switch upgrade {
                case .ifRetained(let yes, let no): p = retained ? yes : no
                case .ifActivated(let yes, let no): p = activated ? yes : no
                case .flat(let flat): p = flat
                }
                return u.uUpgrade < p
            }.count
            #expect(result.flows.map(\.upgraded).reduce(0, +) == expected)
            let n = Double(users.count)
            let share = Double(expected) / n
            #expect(abs(share - marginal) < 4 * (marginal * (1 - marginal) / n).squareRoot(), "\(share) vs \(marginal)")
        }
    }

    @Test("exponential delay: recorded when drawn, with the truncated mean in closed form")
    func exponentialDelay() throws {
        let delay = OutcomeDelay(law: .exponential, medianDays: 5, maxDays: 20)
        let world = Self.world(upgrade: 0, retentionDelay: delay)
        let (result, runner) = try Self.run(world)
        let truth = world.personas[0].flows[0].truth
        let horizonEnd = world.horizonDays * Clock.minutesPerDay
        var delays: [Double] = []
        var checked = 0
        // The delays stream: two uniforms per user (retention, upgrade), in generation order.
        let stream = RandomStream(master: Self.seed, replicate: 0, stream: .delays)
        let users = result.users.sorted { $0.index < $1.index }
        for user in users {
            #expect(user.uRetentionDelay == stream.uniform())
            #expect(user.uUpgradeDelay == stream.uniform())
            let outcome = UserOutcome(user: user, truth: truth)
            guard outcome.retained else { continue }
            delays.append(Double(outcome.retentionDelay) / Double(Clock.minutesPerDay))
            // The engine holds the retention exactly when its recording time fell before the horizon's end.
            guard let assignment = try runner.engine.store.assignment(userId: "u\(user.index)") else { continue }
            #expect(assignment.retained30d == (user.signupMinute + outcome.retentionDelay < horizonEnd))
            checked += 1
        }
        #expect(checked > 500)
        // E[X | X ≤ T] for an exponential of mean μ = median / ln 2: μ − T·e^{−T/μ} / (1 − e^{−T/μ}); whole minutes
        // rounded up add at most 1/1440 day.
        let mu = 5 / M_LN2
        let tail = exp(-20 / mu)
        let mean = mu - 20 * tail / (1 - tail)
        let observed = delays.reduce(0, +) / Double(delays.count)
        // The standard deviation of the truncated law is below μ: 4 standard errors.
        #expect(abs(observed - mean) < 4 * mu / Double(delays.count).squareRoot(), "\(observed) vs \(mean)")
        #expect(delays.allSatisfy { $0 > 0 && $0 <= 20 })
    }

    @Test("a fixed 30-day delay equals no delay")
    func fixedThirtyDays() throws {
        let fixed = OutcomeDelay(law: .fixed, medianDays: 30, maxDays: 60)
        #expect(fixed.minutes(u: 0.7) == OutcomeDelay.day30Minutes)
        let (with, _) = try Self.run(Self.world(upgrade: 0.1, retentionDelay: fixed, horizon: 70))
        let (without, _) = try Self.run(Self.world(upgrade: 0.1, horizon: 70))
        #expect(with.daily == without.daily)
        #expect(with.summaries == without.summaries)
        #expect(with.summaries.contains { ($0.retentionRate ?? 0) > 0 })
    }

    @Test("retention and upgrade rates count the cohorts whose delayed outcomes can all be recorded")
    func observationWindow() throws {
        let delay = OutcomeDelay(law: .lognormal(sigma: 0.5), medianDays: 10, maxDays: 45.5)
        #expect(delay.latestMinutes == Int(45.5 * 1440))
        let (result, _) = try Self.run(Self.world(upgrade: 0.1, retentionDelay: delay, horizon: 70))
        let summary = try #require(result.summaries.first)
        // Cohorts of days 0 … 70 − 1 − 46 = 23 count, the rest are too young.
        let users = result.users.filter { $0.signupMinute < 24 * Clock.minutesPerDay }
        let truth = Self.world(upgrade: 0.1, retentionDelay: delay).personas[0].flows[0].truth
        let retained = users.filter { UserOutcome(user: $0, truth: truth).retained }.count
        #expect(summary.retentionRate == Double(retained) / Double(users.count))
    }
}
