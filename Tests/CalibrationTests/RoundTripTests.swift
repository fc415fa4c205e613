import Calibration
import Experiments
import Foundation
import OnboardingEngine
import Scenarios
import Simulation
import Stochastics
import Testing

/// Simulate a known world on the SQLite store, calibrate from its engine.sqlite, and compare with the truth.
@Suite("calibration round trip", .serialized)
struct RoundTripTests {
    /// Two personas, weekly traffic (mean multiplier 1), a deviation (5% of B's users shown D), a candidate
    /// introduced on day 14, lognormal times; 120 days at 350 signups a day (≈ 42,000 users).
    static let original = """
        name: round-trip
        seed: 2024
        horizon_days: 120
        traffic: {signups_per_day: 350, arrivals: poisson, weekly: [1.15, 1.15, 1.15, 1.15, 1.15, 0.625, 0.625]}
        personas:
          - id: seller
            share: 0.6
            activation_event: first_sale
            v3_default: [{flow: a, variant: va}, {flow: b, variant: vb}]
            flows:
              - {id: a, steps: [catalog, pay, first_sale], truth: {activation_7d: 0.35, retention_30d: {if_activated: 0.6, if_not: 0.15}, upgrade: 0.04, time_to_first_win: {distribution: lognormal, median_minutes: 400, sigma: 1.0}}}
              - {id: b, steps: [pay, catalog, first_sale], truth: {activation_7d: 0.42, retention_30d: {if_activated: 0.6, if_not: 0.15}, upgrade: 0.05, time_to_first_win: {distribution: lognormal, median_minutes: 300, sigma: 0.8}}}
              - {id: c, steps: [theme, catalog, first_sale], candidate: true, introduced_day: 14, truth: {activation_7d: 0.30, retention_30d: {if_activated: 0.55, if_not: 0.1}, upgrade: 0.03, time_to_first_win: {distribution: lognormal, median_minutes: 600, sigma: 1.2}}}
              - {id: d, steps: [import, pay, first_sale], truth: {activation_7d: 0.58, retention_30d: {if_activated: 0.65, if_not: 0.2}, upgrade: 0.07, time_to_first_win: {distribution: lognormal, median_minutes: 200, sigma: 0.9}}}
            deviation: {rate: 0.05, from: [b], to: [{flow: d}]}
          - id: coach
            share: 0.4
            activation_event: first_booking
            v3_default: [{flow: p, variant: vp}]
            flows:
              - {id: p, steps: [profile, calendar, first_booking], truth: {activation_7d: 0.45, retention_30d: 0.4, upgrade: 0.06, time_to_first_win: {distribution: lognormal, median_minutes: 700, sigma: 1.1}}}
              - {id: q, steps: [calendar, profile, first_booking], candidate: true, truth: {activation_7d: 0.6, retention_30d: 0.45, upgrade: 0.08, time_to_first_win: {distribution: lognormal, median_minutes: 450, sigma: 1.0}}}
        """

    /// One estimated quantity with its 95% interval and the truth it should cover.
    struct Coverage: CustomStringConvertible {
        var name: String
        var interval: Interval
        var truth: Double
        var covered: Bool { interval.contains(truth) }
        var description: String { "\(name): truth \(truth), 95% [\(interval.lower), \(interval.upper)]" }
    }

    @Test func recoversTheWorldItWasSimulatedFrom() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (truth, database) = try Fixtures.simulate(Self.original, in: folder)
        let calibrated = try Calibrator.calibrate(path: database)
        let out = folder.appendingPathComponent("calibrated.yaml").path
        let files = try calibrated.files(out: out, name: "calibrated", seed: 3, draws: 2)
        #expect(
            files.map(\.path) == [
                out, folder.appendingPathComponent("calibrated.draw-01.yaml").path,
                folder.appendingPathComponent("calibrated.draw-02.yaml").path,
            ])
        let scenario = files[0].scenario
        #expect(files[0].text.hasPrefix("# Calibrated by `onboarding-lab calibrate` from the engine database"))
        #expect(files[0].text.contains("95% Wilson ["))
        #expect(files[1].scenario.personas.count == 2)
        #expect(files[1].text != files[2].text, "two draws gave the same truths")

        // Every presented flow was kept (each has hundreds of users), the deviation found, C a candidate.
        for persona in truth.personas {
            let estimated = try #require(calibrated.personas.first { $0.id == persona.id }, "persona \(persona.id)")
            #expect(Set(estimated.flows.map(\.steps)) == Set(persona.flows.map(\.steps)), "flows of \(persona.id)")
        }
        let seller = try #require(calibrated.personas.first { $0.id == "seller" })
        let deviation = try #require(seller.deviation)
        #expect(deviation.from == ["pay-catalog-first_sale"])
        #expect(deviation.to.map(\.flow) == ["import-pay-first_sale"])
        let candidate = try #require(seller.flow(steps: ["theme", "catalog", "first_sale"]))
        #expect(candidate.candidate && candidate.introducedDay == 14)

        // Weekly pattern detected, multipliers close; Poisson kept.
        let weekly = try #require(calibrated.traffic.weekly, "weekly pattern not detected")
        for (m, t) in zip(weekly, [1.15, 1.15, 1.15, 1.15, 1.15, 0.625, 0.625]) { #expect(abs(m - t) < 0.08) }
        #expect(scenario.traffic.arrivals == .poisson)

        // Coverage pooled over every estimate with an interval.
        var checks: [Coverage] = [
            Coverage(name: "signups per day", interval: calibrated.traffic.meanInterval, truth: 350),
            Coverage(name: "seller share", interval: seller.share.interval, truth: 0.6),
            Coverage(name: "seller deviation rate", interval: deviation.rate.interval, truth: 0.05),
        ]
        for persona in truth.personas {
            let estimated = try #require(calibrated.personas.first { $0.id == persona.id })
            for flow in persona.flows {
                let t = try #require(flow.truth)
                let e = try #require(estimated.flow(steps: flow.steps))
                let name = "\(persona.id)/\(flow.id)"
                checks.append(
                    Coverage(name: "\(name) activation", interval: e.activation.interval, truth: t.activation7d))
                checks.append(
                    Coverage(name: "\(name) upgrade", interval: e.upgrade.interval, truth: try #require(t.upgrade.flat))
                )
                let (ifActivated, ifNot): (Double, Double)
                switch t.retention30d {
                case .flat(let r): (ifActivated, ifNot) = (r, r)
                case .conditional(let a, let n): (ifActivated, ifNot) = (a, n)
                }
                let conditional = try #require(e.conditionalRetention, "\(name): conditional retention")
                checks.append(
                    Coverage(
                        name: "\(name) retention | activated", interval: conditional.ifActivated.interval,
                        truth: ifActivated))
                checks.append(
                    Coverage(name: "\(name) retention | not", interval: conditional.ifNot.interval, truth: ifNot))
                let fit = try #require(e.timeToWin, "\(name): time to first win")
                checks.append(
                    Coverage(
                        name: "\(name) median", interval: fit.medianInterval, truth: t.timeToFirstWin.medianMinutes))
                #expect(fit.family == .lognormal, "\(name): \(fit.family)")
                if let sigma = fit.sigmaInterval {
                    checks.append(Coverage(name: "\(name) sigma", interval: sigma, truth: t.timeToFirstWin.sigma))
                }
            }
        }
        // About 40 intervals at 95%: expect 2 misses; allow up to 6 (P(≥ 7 | n = 40, p = 0.05) ≈ 0.01).
        let missed = checks.filter { !$0.covered }
        #expect(checks.count >= 38)
        #expect(missed.count <= 6, "missed \(missed.count) of \(checks.count): \(missed)")

        // The true best flow of each persona is the same in the calibrated scenario.
        for persona in truth.personas {
            let trueSteps = try Self.trueBestSteps(truth, persona: persona.id)
            let calibratedSteps = try Self.trueBestSteps(scenario, persona: persona.id)
            #expect(trueSteps == calibratedSteps, "persona \(persona.id)")
        }

        // Tuning ε on the calibrated scenario picks the original's winner, or one the original race could not
        // tell apart from it (not dropped as significantly worse).
        let originalRace = try Self.tune(truth)
        let calibratedRace = try Self.tune(scenario)
        let drops = originalRace.drops.map(\.config)
        let originalWinner = try #require(originalRace.winner)
        let calibratedWinner = try #require(calibratedRace.winner)
        #expect(
            calibratedWinner == originalWinner || !drops.contains(calibratedWinner),
            "original \(originalWinner) \(originalRace.summaries), calibrated \(calibratedWinner) \(calibratedRace.summaries)"
        )
    }

    /// The steps of `persona`'s true best flow at the end of the scenario (under the scenario's objective).
    static func trueBestSteps(_ scenario: Scenario, persona: String) throws -> [String] {
        let world = try ScenarioMapping.world(from: scenario)
        let oracle = Oracle(world: world)
        let index = try #require(scenario.personas.firstIndex { $0.id == persona })
        let best = oracle.trueBest(persona: index, day: scenario.horizonDays - 1)
        return scenario.personas[index].flows[best.flow].steps
    }

    /// A small race over ε (0.05 vs 0.3) on cumulative regret: 60 days at 40% of the traffic, up to 12 replicates.
    static func tune(_ scenario: Scenario) throws -> RacingResult {
        let plan = try ExperimentPlan(
            scenario: scenario, sweep: true, replicates: 12, seed: 99, horizonDays: 60, scale: 0.4,
            axes: [try GridSpec.axis("engine.epsilon=0.05,0.3")])
        return try Racing.race(
            plan: plan, options: RacingOptions(objective: "cumulative_regret", batch: 4, maxReplicates: 12),
            run: RunOptions(store: .memory, threads: 2))
    }
}
