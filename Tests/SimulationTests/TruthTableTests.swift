import Foundation
import OnboardingEngine
import Testing

@testable import Simulation

/// `Oracle.table(day:)`: every value against its closed form (SPEC §2.4).
@Suite("Truth table")
struct TruthTableTests {
    static func world(objective: TrueObjective = TrueObjective()) -> World {
        let fast = FlowTruth(
            activation7d: 0.6, retentionIfActivated: 0.8, retentionIfNot: 0.2, upgrade: 0.05,
            timeToFirstWin: .fixed(minutes: 144))
        let slow = FlowTruth(
            activation7d: 0.9, retentionIfActivated: 0.5, retentionIfNot: 0.5, upgrade: 0.01,
            timeToFirstWin: .exponential(medianMinutes: 600))
        let same = FlowTruth(
            activation7d: 0.6, retentionIfActivated: 0.8, retentionIfNot: 0.2, upgrade: 0,
            timeToFirstWin: .fixed(minutes: 144))
        let persona = PersonaModel(
            id: "p", share: 1, activationEvent: "win", v3Default: [(0, "v", 3), (3, "w", 1)],
            flows: [
                FlowModel(id: "fast", steps: ["a", "win"], truth: fast),
                FlowModel(id: "slow", steps: ["b", "win"], candidate: true, introducedDay: 5, truth: slow),
                FlowModel(id: "lost", steps: ["c", "win"], truth: same),
                FlowModel(id: "twin", steps: ["d", "win"], truth: same),
            ],
            drift: [DriftModel(day: 8, flow: 0, activation7d: 0.3)])
        return World(
            horizonDays: 20, traffic: TrafficModel(schedule: [(0, 10)], poisson: false), personas: [persona],
            objective: objective)
    }

    @Test func valuesMatchTheClosedForms() throws {
        let rows = Oracle(world: Self.world()).table(day: 0)
        #expect(rows.map(\.flow) == ["fast", "slow", "lost", "twin"])
        let fast = rows[0]
        // Marginal retention 0.6·0.8 + 0.4·0.2 = 0.56; a fixed time of 144 min gives the bonus 1 − 144/1440 = 0.9.
        #expect(abs(fast.retention30d - 0.56) < 1e-15)
        #expect(fast.meanTimeToFirstWinMinutes == 144)
        #expect(abs(fast.trueScore - (0.5 * 0.6 + 0.3 * 0.56 + 0.2 * 0.9)) < 1e-15)
        // Exponential with median m: μ = m / ln 2; E[T | T ≤ 7 d] = μ − T·e^(−T/μ) / (1 − e^(−T/μ)).
        let mu = 600 / M_LN2
        let upper = 7.0 * 1440
        let mean = mu - upper * exp(-upper / mu) / (1 - exp(-upper / mu))
        let slow = rows[1]
        #expect(abs(slow.meanTimeToFirstWinMinutes - mean) < 1e-9)
        #expect(abs(slow.trueScore - (0.5 * 0.9 + 0.3 * 0.5 + 0.2 * (1 - mean / 1440))) < 1e-12)
        // Day 0: "slow" is a candidate from day 5, not presentable yet; "lost" has no route; "twin" ties "fast".
        #expect(!slow.presentable && slow.reachability == [.candidate(fromDay: 5)])
        #expect(rows[2].reachability.isEmpty && !rows[2].presentable)
        #expect(fast.reachability == [.v3Default(share: 0.75)] && rows[3].reachability == [.v3Default(share: 0.25)])
        #expect(fast.rank == 1 && rows[3].rank == 1 && fast.gapToBest == 0)
        #expect(slow.rank == 2 && rows[2].rank == 3, "not-presentable flows rank after the presentable ones")
        #expect(fast.driftDays == [8] && slow.driftDays.isEmpty)
    }

    @Test func presentableCandidatesAndDriftChangeTheRanking() throws {
        let oracle = Oracle(world: Self.world())
        let day5 = oracle.table(day: 5)
        #expect(day5[1].presentable && day5[1].rank == 1, "slow scores higher once it can be presented")
        #expect(abs(day5[0].gapToBest - (day5[1].trueScore - day5[0].trueScore)) < 1e-15)
        let day8 = oracle.table(day: 8)
        #expect(day8[0].activation7d == 0.3, "the drift of day 8 applies")
        #expect(day8[0].rank == 3 && day8[3].rank == 2)
    }

    @Test func theObjectiveNotTheEngineDecidesTheScore() throws {
        let activationOnly = TrueObjective(weights: WinScoreWeights(activation7d: 1, retention30d: 0, speed: 0))
        let rows = Oracle(world: Self.world(objective: activationOnly)).table(day: 0)
        #expect(rows[0].trueScore == 0.6 && rows[1].trueScore == 0.9)
    }
}
