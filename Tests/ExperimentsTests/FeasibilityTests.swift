import Experiments
import LabTestSupport
import Scenarios
import Testing

/// Feasibility warnings on crafted scenarios (issue 7, item 7), and none on the curated ones.
@Suite("Feasibility warnings")
struct FeasibilityTests {
    /// Four personas sharing 300 signups/day (75 each); boutique has v3 default A and candidates B, C, D.
    static func scenario(engine: String = "{}", governance: String = "{}", extra: String = "", horizon: Int = 120)
        throws -> Scenario
    {
        var personas = ""
        for id in ["boutique", "coach", "agency", "solo"] {
            personas += """
                  - id: \(id)
                    share: 1
                    activation_event: win
                    v3_default: [{flow: A, variant: a}]
                    flows:
                      - {id: A, steps: [a, win], truth: {activation_7d: 0.3, retention_30d: 0.2}}
                      - {id: B, steps: [b, win], candidate: true, truth: {activation_7d: 0.4, retention_30d: 0.2}}
                      - {id: C, steps: [c, win], candidate: true, truth: {activation_7d: 0.5, retention_30d: 0.2}}
                      - {id: D, steps: [d, win], candidate: true, truth: {activation_7d: 0.6, retention_30d: 0.2}}

                """
        }
        let text = """
            name: feasibility
            horizon_days: \(horizon)
            traffic: {signups_per_day: 300}
            personas:
            \(personas)
            engine: \(engine)
            governance: \(governance)
            \(extra)
            """
        return try ScenarioLoader.parse(text, file: "feasibility.yaml")
    }

    /// 75 signups/day × 30 days × ε 0.2 / 3 other flows = 150 users per candidate in the window.
    @Test func minimumSampleOutOfReach() throws {
        #expect(Feasibility.warnings(for: try Self.scenario(engine: "{min_champion_sample: 150}")).isEmpty)
        let warnings = Feasibility.warnings(for: try Self.scenario(engine: "{min_champion_sample: 151}"))
        #expect(warnings.count == 12, "\(warnings)")
        let first = try #require(warnings.first)
        #expect(first.persona == "boutique" && first.path == "engine.min_champion_sample")
        #expect(
            first.message
                == "candidate B of boutique can collect ≈ 150 users in the 30-day window (75 signups/day × 30 days × (ε 0.2 shared by 3 other flows)) but the effective min_champion_sample is 151: it can never become champion"
        )
        // The law's minimum is the effective one when larger; ε-greedy shares ε among all 4 flows: 112.5, written 113.
        let law = Feasibility.warnings(
            for: try Self.scenario(engine: "{policy: epsilon-greedy}", governance: "{min_champion_sample: 120}"))
        #expect(law.count == 12)
        #expect(law.allSatisfy { $0.path == "governance.min_champion_sample" })
        #expect(
            law.first?.message.contains(
                "≈ 113 users in the 30-day window (75 signups/day × 30 days × (ε 0.2 shared by 4 flows))") == true)
        // A candidate introduced on day 100 of 120 has 20 days: 75 × 20 × 0.2 / 3 = 100.
        let late = try Self.scenario(engine: "{min_champion_sample: 101}")
        var lateScenario = late
        for p in lateScenario.personas.indices { lateScenario.personas[p].flows[3].introducedDay = 100 }
        let lateWarnings = Feasibility.warnings(for: lateScenario).filter { $0.message.hasPrefix("candidate D") }
        #expect(lateWarnings.count == 4)
        #expect(lateWarnings.first?.message.contains("≈ 100 users in the 20-day window") == true)
        // Policies without a minimum-sample rule of their own get no estimate.
        #expect(
            Feasibility.warnings(for: try Self.scenario(engine: "{policy: thompson, min_champion_sample: 1000}"))
                .isEmpty)
        // No champion at all: v3 flow A gets (1 − 0.2) × 75 × 30 + 150 = 1950 < 2000.
        let none = Feasibility.warnings(for: try Self.scenario(engine: "{min_champion_sample: 2000}"))
        #expect(none.filter { $0.message.hasPrefix("no flow of") }.count == 4)
        #expect(
            none.contains {
                $0.message
                    == "no flow of solo can collect the effective min_champion_sample 2000 in the 30-day window (the largest v3 default flow ≈ 1950 users at 75 signups/day): no champion will ever be elected"
            })
    }

    /// A deviation target collects exploration plus its deviation inflow; a flow nobody can reach is named.
    @Test func deviationInflowAndUnreachableFlows() throws {
        let text = """
            name: reach
            traffic: {signups_per_day: 100}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: A, variant: a}, {flow: B, variant: b}]
                flows:
                  - {id: A, steps: [a, win], truth: {activation_7d: 0.3, retention_30d: 0.2}}
                  - {id: B, steps: [b, win], truth: {activation_7d: 0.4, retention_30d: 0.2}}
                  - {id: D, steps: [d, win], truth: {activation_7d: 0.6, retention_30d: 0.2}}
                  - {id: X, steps: [x, win], truth: {activation_7d: 0.9, retention_30d: 0.2}}
                deviation: {rate: 0.04, from: [B], to: [{flow: D}]}
            engine: {min_champion_sample: 200}
            """
        let warnings = Feasibility.warnings(for: try ScenarioLoader.parse(text, file: "reach.yaml"))
        // D: 100 × 30 × (ε 0.2 / 2 other flows + 0.04 × B's share 0.5) = 360 ≥ 200, so only X is named.
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.path == "personas[0].flows[3]")
        #expect(
            warnings.first?.message
                == "flow X of p is neither a v3 default flow, a candidate nor a deviation target: no user can ever be presented it"
        )
        // With a 5-day window: 100 × 5 × 0.12 = 60.
        let short = try ScenarioLoader.parse(
            text.replacingOccurrences(
                of: "{min_champion_sample: 200}", with: "{min_champion_sample: 200, window_days: 5}"),
            file: "reach.yaml")
        let shortWarnings = Feasibility.warnings(for: short).filter { $0.message.hasPrefix("deviation target D") }
        #expect(
            shortWarnings.first?.message
                == "deviation target D of p can collect ≈ 60 users in the 5-day window (100 signups/day × 5 days × (ε 0.2 shared by 2 other flows + deviation 2%)) but the effective min_champion_sample is 200: it can never become champion"
        )
    }

    @Test func epsilonAboveTheLawAndAnABTestLongerThanTheRun() throws {
        let clamped = Feasibility.warnings(
            for: try Self.scenario(engine: "{epsilon: 0.5}", governance: "{max_epsilon: 0.3}"))
        #expect(clamped.map(\.path) == ["engine.epsilon"])
        #expect(
            clamped.first?.message
                == "epsilon 0.5 is above governance.max_epsilon 0.3: the engine uses 0.3 (clamped)")
        #expect(Feasibility.warnings(for: try Self.scenario(engine: "{epsilon: 0.5, policy: ucb1}")).isEmpty)
        let ab = Feasibility.warnings(
            for: try Self.scenario(engine: "{policy: ab-test, ab_test_days: 60}", horizon: 60))
        #expect(ab.map(\.path) == ["engine.ab_test_days"])
        #expect(
            Feasibility.warnings(for: try Self.scenario(engine: "{policy: ab-test, ab_test_days: 59}", horizon: 60))
                .isEmpty)
    }

    /// The objective, not the engine's weights, is the yardstick; weights that do not sum to 1 change the scale the
    /// absolute degradation law works on, so validation warns (issue 7, item 1).
    @Test func engineWeightsThatDoNotSumToOne() throws {
        let doubled = Feasibility.warnings(
            for: try Self.scenario(engine: "{weights: {activation_7d: 1.0, retention_30d: 0.6, speed: 0.4}}"))
        #expect(doubled.map(\.path) == ["engine.weights"])
        #expect(doubled.first?.message.hasPrefix("the engine's weights sum to 2, not 1") == true, "\(doubled)")
        #expect(
            Feasibility.warnings(
                for: try Self.scenario(engine: "{weights: {activation_7d: 0.7, retention_30d: 0.1, speed: 0.2}}")
            ).isEmpty)
    }

    @Test func checksAfterTheHorizonOrBeforeTheirCandidates() throws {
        var scenario = try Self.scenario(
            extra: """
                checks:
                  - {persona: boutique, champion_is_true_best_by_day: 5, min_probability: 0.5}
                  - {persona: coach, champion_is_true_best_by_day: 8, min_probability: 0.5}
                  - {persona: agency, champion_is_true_best_by_day: 90, min_probability: 0.5}
                """)
        for p in scenario.personas.indices {
            scenario.personas[p].flows[1].introducedDay = 6
            scenario.personas[p].flows[2].introducedDay = 6
            scenario.personas[p].flows[3].introducedDay = 10
        }
        let warnings = Feasibility.warnings(for: scenario, horizon: 60)
        #expect(warnings.map(\.path) == ["checks[0]", "checks[1]", "checks[2]"], "\(warnings)")
        #expect(
            warnings[0].message
                == "on day 5 boutique can be presented only flow A: the check has nothing to choose between")
        #expect(
            warnings[1].message
                == "the check of coach on day 8 comes before candidate D (day 10) exists: it judges the choice among A, B, C only"
        )
        #expect(
            warnings[2].message
                == "the check of agency on day 90 is at or after the horizon (60 days): it is not evaluated")
    }

    /// A sweep is judged per configuration; a warning of some configurations names them.
    @Test func sweepsNameTheirConfigurations() throws {
        let scenario = try Self.scenario(
            engine: "{min_champion_sample: 100}", extra: "sweep: {engine.epsilon: [0.05, 0.3]}")
        let warnings = Feasibility.warnings(for: scenario)
        #expect(warnings.count == 12)
        #expect(warnings.allSatisfy { $0.configurations == ["c0 (engine.epsilon=0.05)"] })
        #expect(warnings.first?.description.hasSuffix("(under c0 (engine.epsilon=0.05))") == true)
        // A warning common to every configuration names none.
        let common = Feasibility.warnings(
            for: try Self.scenario(
                engine: "{epsilon: 0.5}", extra: "sweep: {engine.min_champion_sample: [30, 40]}"))
        #expect(common.map(\.path) == ["engine.epsilon"])
        #expect(common.first?.configurations == [])
    }

    @Test(arguments: CuratedScenarioTests.names)
    func curatedScenariosHaveNoWarning(name: String) throws {
        let scenario = try ScenarioValidation.load(path: Repo.scenario("\(name).yaml"))
        #expect(Feasibility.warnings(for: scenario).isEmpty, "\(Feasibility.warnings(for: scenario))")
    }
}
