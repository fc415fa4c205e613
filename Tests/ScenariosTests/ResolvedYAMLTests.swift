import Foundation
import OnboardingEngine
import Testing

@testable import Scenarios

@Suite struct ResolvedYAMLTests {
    @Test(arguments: ["valid-full.yaml", "minimal.yaml"])
    func roundTrips(fixture: String) throws {
        let scenario = try ScenarioLoader.parse(Fixtures.text(fixture), file: fixture)
        let resolved = scenario.resolvedYAML()
        let again = try ScenarioLoader.parse(resolved, file: "resolved.yaml")
        #expect(again == scenario)
        // Stable: resolving twice gives the same text.
        #expect(again.resolvedYAML() == resolved)
    }

    @Test func writesEveryDefault() throws {
        let scenario = try ScenarioLoader.parse(Fixtures.text("minimal.yaml"), file: "minimal.yaml")
        let expected = """
            # Resolved scenario 'minimal': every setting written out, defaults included.
            name: minimal
            description: ""
            seed: 1
            horizon_days: 120
            replicates: 1
            traffic:
              signups_per_day: 50.0
              arrivals: poisson
            personas:
              - id: p
                share: 1.0
                activation_event: win
                v3_default:
                  - {flow: a, variant: v, weight: 1.0}
                flows:
                  - id: a
                    steps: [s1, win]
                    candidate: false
                    introduced_day: 0
                    truth:
                      activation_7d: 0.5
                      retention_30d: 0.3
                      upgrade: 0.0
                      time_to_first_win: {distribution: lognormal, median_minutes: 90.0, sigma: 0.8}
                drift: []
            objective: {activation_7d: 0.5, retention_30d: 0.3, speed: 0.2, speed_horizon_minutes: 1440.0}
            engine:
              policy: seed-epsilon-greedy
              epsilon: 0.2
              min_champion_sample: 30
              window_days: 30
              count_immature: true
              weights: {activation_7d: 0.5, retention_30d: 0.3, speed: 0.2}
              speed_horizon_minutes: 1440.0
              exploration_priority: {below_10: 1.0, below_30: 0.5, otherwise: 0.1, thresholds: {low: 10, high: 30}}
              stale_patterns: keep
              job_failure_rate: 0.0
              holdback: 0.0
              ab_test_days: 28
            governance:
              max_epsilon: 0.3
              min_champion_sample: 30
              max_win_score_degradation: 0.1
            sweep: {}
            baseline: {}
            checks: []

            """
        #expect(scenario.resolvedYAML() == expected)
    }

    @Test func writesSchedulesDeviationsDriftAndSweeps() throws {
        let scenario = try ScenarioLoader.parse(Fixtures.text("valid-full.yaml"), file: "valid-full.yaml")
        let resolved = scenario.resolvedYAML()
        let expectedFragments = [
            "  schedule:\n    - {from_day: 0, per_day: 100.0}\n    - {from_day: 60, per_day: 300.0}\n  arrivals: constant\n",
            "  weekly: [1.0, 1.1, 1.1, 1.0, 0.9, 0.6, 0.5]\n",
            "description: \"Seed narrative: flow B should win for mlm_newbie\"\n",
            "          retention_30d: {if_activated: 0.7, if_not: 0.2}\n",
            "          time_to_first_win: {distribution: exponential, median_minutes: 45.0}\n",
            "    deviation:\n      rate: 0.03\n      from: [A, B, C]\n      to:\n        - {flow: D, weight: 1.0}\n",
            "      - {day: 60, flow: B, truth: {activation_7d: 0.6}}\n",
            "sweep:\n  engine.epsilon: [0.05, 0.1, 0.2, 0.3]\n  engine.min_champion_sample: [10, 30, 100]\n",
            "baseline:\n  engine.epsilon: 0.2\n",
            "checks:\n  - {persona: mlm_newbie, champion_is_true_best_by_day: 90, min_probability: 0.9}\n",
        ]
        for fragment in expectedFragments {
            #expect(resolved.contains(fragment), "missing:\n\(fragment)\nin:\n\(resolved)")
        }
    }

    @Test func quotesStringsThatWouldReadAsSomethingElse() throws {
        let awkward = [
            "yes", "No", "null", "~", "", "123", "0x1F", "1.5", ".inf", "2024-01-01", "a: b", "# c", "-dash",
            "quote\"and\\slash", "line\nbreak", "tab\there", "ünïcode", "plain_text", "with space", "[x]", "*alias",
        ]
        for (index, text) in awkward.enumerated() {
            let scenario = Scenario(
                name: "q", description: text, traffic: Traffic(signupsPerDay: 1),
                personas: [
                    Persona(
                        id: "p", activationEvent: "e",
                        v3Default: [V3Split(flow: "f", variant: text.isEmpty ? "v" : text)],
                        flows: [Flow(id: "f", steps: ["s"], truth: Truth(activation7d: 0.5, retention30d: .flat(0.5)))])
                ])
            let again = try ScenarioLoader.parse(scenario.resolvedYAML(), file: "q\(index).yaml")
            #expect(again.description == text)
            #expect(again.personas.first?.v3Default.first?.variant == (text.isEmpty ? "v" : text))
        }
    }

    @Test func roundTripsExtremeNumbersAndCodeBuiltValues() throws {
        let scenario = Scenario(
            name: "edge-cases", seed: UInt64.max, horizonDays: 3, replicates: 2,
            traffic: Traffic(signupsPerDay: 1e-7, arrivals: .constant, weekly: [0, 0, 0, 0, 0, 0, 1e-300]),
            personas: [
                Persona(
                    id: "p", share: 999_999.123456789, activationEvent: "e",
                    v3Default: [V3Split(flow: "f", variant: "v", weight: 0.1 + 0.2)],
                    flows: [
                        Flow(
                            id: "f", steps: ["s"], candidate: true, introducedDay: 2,
                            truth: Truth(
                                activation7d: 1 / 3, retention30d: .conditional(ifActivated: 1, ifNot: 0),
                                upgrade: .flat(.leastNonzeroMagnitude),
                                timeToFirstWin: TimeToWin(distribution: .fixed, medianMinutes: 10080, sigma: 0))),
                        Flow(id: "g", steps: ["t", "s"], truth: Truth(activation7d: 0, retention30d: .flat(1))),
                    ],
                    deviation: Deviation(rate: 1, from: ["f"], to: [WeightedFlow(flow: "g", weight: 1e-9)]),
                    drift: [
                        Drift(
                            day: 2, flow: "g",
                            truth: TruthPatch(upgrade: 0.5, timeToFirstWin: TimeToWin(distribution: .exponential)))
                    ])
            ],
            engine: EngineSettings.with {
                $0.epsilon = 0.123456789012345
                $0.speedHorizonMinutes = 5.25e6
            },
            sweep: [
                SweepAxis(path: "engine.holdback", values: [0.0, 0.5]),
                SweepAxis(path: "engine.policy", values: ["ucb1", "thompson"]),
            ],
            baseline: ["engine.policy": "thompson"],
            checks: [Check(persona: "p", championIsTrueBestByDay: 2, minProbability: 0.95)])
        let again = try ScenarioLoader.parse(scenario.resolvedYAML(), file: "edge.yaml")
        #expect(again == scenario)
        #expect(again.seed == UInt64.max)
        #expect(again.baselineConfigurationIndex() == 1)
    }
}
