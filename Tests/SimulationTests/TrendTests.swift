import Foundation
import Simulation
import Testing

/// Trends (ramp, sine, decay) and traffic growth against their closed forms, evaluated through the oracle.
@Suite("Trends and traffic growth")
struct TrendTests {
    static let base = FlowTruth(
        activation7d: 0.4, retentionIfActivated: 0.6, retentionIfNot: 0.2, upgrade: 0.05,
        timeToFirstWin: .lognormal(medianMinutes: 90, sigma: 0.8))

    /// One persona with flow 0 (from day 0) and flow 1 (introduced on day 10).
    static func oracle(drift: [DriftModel] = [], trends: [TrendModel]) -> Oracle {
        let persona = PersonaModel(
            id: "p", share: 1, activationEvent: "win", v3Default: [(0, "v", 1)],
            flows: [
                FlowModel(id: "A", steps: ["a", "win"], truth: base),
                FlowModel(id: "B", steps: ["b", "win"], candidate: true, introducedDay: 10, truth: base),
            ],
            drift: drift, trends: trends)
        return Oracle(
            world: World(
                horizonDays: 100, traffic: TrafficModel(schedule: [(0, 10)], poisson: false), personas: [persona]))
    }

    @Test func rampIsNothingBeforeItsStartLinearInBetweenAndItsEndValueAfter() {
        let ramp = TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.2, to: 0.6, startDay: 10, endDay: 30))
        let oracle = Self.oracle(trends: [ramp])
        #expect(oracle.truth(persona: 0, flow: 0, day: 9).activation7d == 0.4)
        #expect(oracle.truth(persona: 0, flow: 0, day: 10).activation7d == 0.2)
        // The midpoint: from + (to − from)/2 = 0.4.
        #expect(abs(oracle.truth(persona: 0, flow: 0, day: 20).activation7d - 0.4) < 1e-15)
        #expect(oracle.truth(persona: 0, flow: 0, day: 30).activation7d == 0.6)
        #expect(oracle.truth(persona: 0, flow: 0, day: 99).activation7d == 0.6)
        // Other fields and flows are untouched.
        #expect(oracle.truth(persona: 0, flow: 0, day: 20).upgrade.level == 0.05)
        #expect(oracle.truth(persona: 0, flow: 1, day: 20) == Self.base)
    }

    @Test func sineAtAQuarterPeriodAddsTheAmplitude() {
        let sine = TrendModel(flow: 0, field: .upgrade, shape: .sine(amplitude: 0.03, periodDays: 28, phaseDays: 0))
        let oracle = Self.oracle(trends: [sine])
        // sin(2π·7/28) = 1, sin(2π·21/28) = −1, sin(2π·14/28) = 0 (to rounding of π).
        #expect(abs(oracle.truth(persona: 0, flow: 0, day: 7).upgrade.level - 0.08) < 1e-15)
        #expect(abs(oracle.truth(persona: 0, flow: 0, day: 21).upgrade.level - 0.02) < 1e-15)
        #expect(abs(oracle.truth(persona: 0, flow: 0, day: 14).upgrade.level - 0.05) < 1e-15)
        #expect(oracle.truth(persona: 0, flow: 0, day: 0).upgrade.level == 0.05)
        // A phase of a quarter period moves the peak to day 0.
        let shifted = Self.oracle(trends: [
            TrendModel(flow: 0, field: .upgrade, shape: .sine(amplitude: 0.03, periodDays: 28, phaseDays: 7))
        ])
        #expect(abs(shifted.truth(persona: 0, flow: 0, day: 0).upgrade.level - 0.08) < 1e-15)
    }

    /// The truth table's drift days list step drifts and ramp starts of the flow, once each, ascending.
    @Test func driftDaysListRampStarts() {
        let oracle = Self.oracle(
            drift: [DriftModel(day: 20, flow: 0, activation7d: 0.5)],
            trends: [
                TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.5, to: 0.6, startDay: 12, endDay: 30)),
                TrendModel(flow: 0, field: .upgrade, shape: .ramp(from: 0, to: 0.1, startDay: 20, endDay: 25)),
                TrendModel(flow: 1, field: .upgrade, shape: .sine(amplitude: 0.01, periodDays: 7, phaseDays: 0)),
            ])
        let rows = oracle.table(day: 0)
        #expect(rows[0].driftDays == [12, 20])
        #expect(rows[1].driftDays.isEmpty)
    }

    /// A trend on upgrade moves both parts of a conditional upgrade by the same amount, clamped to [0, 1].
    @Test func upgradeLevelMovesBothConditionalParts() {
        var upgrade = Upgrade.ifRetained(yes: 0.3, no: 0.1)
        upgrade.level = 0.35
        #expect(upgrade == .ifRetained(yes: 0.35, no: 0.15))
        upgrade.level = 0.15
        #expect(upgrade == .ifRetained(yes: 0.15, no: 0))
        var flat = Upgrade.flat(0.2)
        flat.level = 0.25
        #expect(flat == .flat(0.25))
    }

    @Test func decayHalvesItsLiftEveryHalfLifeFromTheFlowsIntroduction() {
        let decay = TrendModel(flow: 1, field: .activation7d, shape: .decay(lift: 0.2, halfLifeDays: 5))
        let oracle = Self.oracle(trends: [decay])
        #expect(oracle.truth(persona: 0, flow: 1, day: 9).activation7d == 0.4)
        #expect(oracle.truth(persona: 0, flow: 1, day: 10).activation7d == 0.4 + 0.2)
        #expect(oracle.truth(persona: 0, flow: 1, day: 15).activation7d == 0.4 + 0.1)
        #expect(oracle.truth(persona: 0, flow: 1, day: 20).activation7d == 0.4 + 0.05)
        // A primacy effect (negative lift) and its absence on the other flow.
        let primacy = Self.oracle(trends: [
            TrendModel(flow: 1, field: .retentionIfNot, shape: .decay(lift: -0.1, halfLifeDays: 5))
        ])
        #expect(primacy.truth(persona: 0, flow: 1, day: 15).retentionIfNot == 0.2 - 0.05)
        #expect(primacy.truth(persona: 0, flow: 0, day: 15) == Self.base)
    }

    @Test func rampsAndStepDriftsAreOrderedByDayAndOffsetsComeAfter() {
        let drift = [DriftModel(day: 20, flow: 0, activation7d: 0.1)]
        let trends = [
            TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.5, to: 0.5, startDay: 10, endDay: 10)),
            TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.7, to: 0.7, startDay: 30, endDay: 30)),
            TrendModel(flow: 0, field: .activation7d, shape: .decay(lift: 0.08, halfLifeDays: 1000)),
        ]
        let oracle = Self.oracle(drift: drift, trends: trends)
        func activation(_ day: Int) -> Double { oracle.truth(persona: 0, flow: 0, day: day).activation7d }
        func lift(_ day: Int) -> Double { 0.08 * pow(2, -Double(day) / 1000) }
        #expect(activation(5) == 0.4 + lift(5))
        #expect(activation(15) == 0.5 + lift(15))  // the first ramp
        #expect(activation(25) == 0.1 + lift(25))  // the later step drift wins over the earlier ramp
        #expect(activation(35) == 0.7 + lift(35))  // the later ramp wins over the drift
        // On the same day as a drift, the ramp wins.
        let tie = Self.oracle(
            drift: drift,
            trends: [
                TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.3, to: 0.3, startDay: 20, endDay: 20))
            ])
        #expect(tie.truth(persona: 0, flow: 0, day: 20).activation7d == 0.3)
    }

    @Test func probabilitiesAreClampedAndMediansKeptAtLeastAMinute() {
        let oracle = Self.oracle(trends: [
            TrendModel(flow: 0, field: .activation7d, shape: .decay(lift: 1, halfLifeDays: 100)),
            TrendModel(flow: 0, field: .upgrade, shape: .decay(lift: -1, halfLifeDays: 100)),
            TrendModel(flow: 0, field: .timeToFirstWinMedian, shape: .decay(lift: -500, halfLifeDays: 100)),
        ])
        let t = oracle.truth(persona: 0, flow: 0, day: 0)
        #expect(t.activation7d == 1)
        #expect(t.upgrade == 0)
        #expect(t.timeToFirstWin == .lognormal(medianMinutes: TrendModel.minimumMedianMinutes, sigma: 0.8))
        // A median ramp keeps the family and the shape.
        let ramp = Self.oracle(trends: [
            TrendModel(flow: 0, field: .timeToFirstWinMedian, shape: .ramp(from: 30, to: 30, startDay: 0, endDay: 0))
        ])
        #expect(ramp.truth(persona: 0, flow: 0, day: 3).timeToFirstWin == .lognormal(medianMinutes: 30, sigma: 0.8))
    }

    /// The oracle's true best follows the decaying novelty: B (introduced on day 10 with a lift of 0.2 and a 5-day
    /// half-life) is best until its lift falls to 0 relative to A's head start of 0.05, i.e. while
    /// 0.2·2^(−(d−10)/5) > 0.05 ⇔ d − 10 < 10.
    @Test func trueBestFollowsTheDecayingNovelty() {
        let oracle = Self.oracle(trends: [
            TrendModel(flow: 0, field: .activation7d, shape: .ramp(from: 0.45, to: 0.45, startDay: 0, endDay: 0)),
            TrendModel(flow: 1, field: .activation7d, shape: .decay(lift: 0.2, halfLifeDays: 5)),
        ])
        #expect(oracle.trueBest(persona: 0, day: 9).flow == 0)
        #expect(oracle.trueBest(persona: 0, day: 10).flow == 1)
        #expect(oracle.trueBest(persona: 0, day: 19).flow == 1)
        #expect(oracle.trueBest(persona: 0, day: 21).flow == 0)
    }

    @Test func trafficGrowthMultipliesTheRateByOnePlusGPerMonth() {
        let traffic = TrafficModel(
            schedule: [(0, 100)], poisson: false, weekly: [1, 1, 1, 1, 1, 1, 0.5], scale: 0.5, growthPerMonth: 1)
        #expect(traffic.rate(day: 0) == 50)
        #expect(traffic.rate(day: 30) == 100)  // 100 · 0.5 · 2¹
        #expect(traffic.rate(day: 60) == 200)  // 100 · 0.5 · 2²
        #expect(traffic.rate(day: 90) == 200)  // day 90 is weekday 6: 100 · 0.5 · 0.5 · 2³
        #expect(abs(traffic.rate(day: 15) - 50 * 2.0.squareRoot()) < 1e-12)
        let shrinking = TrafficModel(schedule: [(0, 100)], poisson: false, growthPerMonth: -0.5)
        #expect(shrinking.rate(day: 30) == 50)
        #expect(shrinking.rate(day: 60) == 25)
        // Without growth the rate is the old product, bit for bit.
        let flat = TrafficModel(
            schedule: [(0, 100), (40, 0.3)], poisson: false, weekly: [1.1, 1, 1, 1, 1, 1, 1], scale: 0.7)
        #expect(flat.rate(day: 42) == 0.3 * 1.1 * 0.7)
    }
}
