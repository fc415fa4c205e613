import Foundation
import OnboardingEngine
import Testing

@testable import Scenarios

@Suite struct ScenarioLoadingTests {
    @Test func loadsTheFullScenarioWithEveryValue() throws {
        let path = Fixtures.url("valid-full.yaml").path
        let scenario = try ScenarioLoader.load(path: path)

        #expect(scenario.name == "mlm-newbie-basic")
        #expect(scenario.description == "Seed narrative: flow B should win for mlm_newbie")
        #expect(scenario.seed == 42)
        #expect(scenario.horizonDays == 120)
        #expect(scenario.replicates == 50)
        #expect(scenario.source == SourceLocation(file: path, line: 1, column: 1))
        #expect(
            scenario.traffic
                == Traffic(
                    schedule: [TrafficPeriod(fromDay: 0, perDay: 100), TrafficPeriod(fromDay: 60, perDay: 300)],
                    arrivals: .constant, weekly: [1.0, 1.1, 1.1, 1.0, 0.9, 0.6, 0.5]))
        #expect(scenario.traffic.perDay(onDay: 59) == 100)
        #expect(scenario.traffic.perDay(onDay: 60) == 300)

        #expect(scenario.personas.map(\.id) == ["mlm_newbie", "solo_coach"])
        let newbie = try #require(scenario.personas.first)
        #expect(newbie.share == 0.6)
        #expect(newbie.activationEvent == "first_lead")
        #expect(
            newbie.v3Default == [
                V3Split(flow: "A", variant: "product_first", weight: 3),
                V3Split(flow: "B", variant: "chatbot_first", weight: 1),
            ])
        #expect(newbie.flows.map(\.id) == ["A", "B", "C", "D"])
        #expect(newbie.location == SourceLocation(file: path, line: 12, column: 5))

        let flowA = try #require(newbie.flow("A"))
        #expect(flowA.steps == ["product_added", "chatbot_setup", "first_lead"])
        #expect(flowA.candidate)
        #expect(flowA.location == SourceLocation(file: path, line: 17, column: 9))
        #expect(
            flowA.truth
                == Truth(
                    activation7d: 0.65, retention30d: .flat(0.55), upgrade: 0.05,
                    timeToFirstWin: TimeToWin(distribution: .lognormal, medianMinutes: 90, sigma: 0.8)))

        let flowB = try #require(newbie.flow("B"))
        #expect(flowB.introducedDay == 0)
        #expect(flowB.truth?.retention30d == .conditional(ifActivated: 0.7, ifNot: 0.2))
        #expect(flowB.truth?.upgrade == 0)
        #expect(flowB.truth?.timeToFirstWin == TimeToWin(distribution: .exponential, medianMinutes: 45))

        let flowC = try #require(newbie.flow("C"))
        #expect(!flowC.candidate)
        #expect(flowC.introducedDay == 14)
        #expect(flowC.truth?.timeToFirstWin == TimeToWin())
        #expect(newbie.flow("D")?.truth?.timeToFirstWin == TimeToWin(distribution: .fixed, medianMinutes: 30))

        // `from` defaults to every flow that is not a target, in file order.
        #expect(
            newbie.deviation == Deviation(rate: 0.03, from: ["A", "B", "C"], to: [WeightedFlow(flow: "D", weight: 1)]))
        #expect(
            newbie.drift == [
                Drift(day: 60, flow: "B", truth: TruthPatch(activation7d: 0.60)),
                Drift(
                    day: 90, flow: "A",
                    truth: TruthPatch(
                        retention30d: .conditional(ifActivated: 0.8, ifNot: 0.1),
                        timeToFirstWin: TimeToWin(distribution: .lognormal, medianMinutes: 60, sigma: 0.8))),
            ])

        let coach = try #require(scenario.personas.last)
        #expect(coach.deviation == Deviation(rate: 0.1, from: ["quick"], to: [WeightedFlow(flow: "guided", weight: 2)]))
        #expect(coach.drift.isEmpty)
        #expect(coach.flow("quick")?.truth?.upgrade == 0.1)

        #expect(
            scenario.engine
                == EngineSettings.with {
                    $0.policy = .thompson
                    $0.epsilon = 0.15
                    $0.minChampionSample = 20
                    $0.windowDays = 45
                    $0.countImmature = false
                    $0.weights = WinScoreWeights(activation7d: 0.6, retention30d: 0.2, speed: 0.2)
                    $0.speedHorizonMinutes = 720
                    $0.explorationPriority = ExplorationPriority(
                        below10: 1.0, below30: 0.4, otherwise: 0.05, lowThreshold: 5, highThreshold: 25)
                    $0.stalePatterns = .dropFromElection
                    $0.holdback = 0.05
                    $0.abTestDays = 14
                    $0.laws = GovernanceLaws(maxEpsilon: 0.25, minChampionSample: 20, maxWinScoreDegradation: 0.10)
                })
        #expect(scenario.jobFailureRate == 0.02)

        #expect(
            scenario.sweep == [
                SweepAxis(path: "engine.epsilon", values: [.number(0.05), .number(0.1), .number(0.2), .number(0.3)]),
                SweepAxis(path: "engine.min_champion_sample", values: [.integer(10), .integer(30), .integer(100)]),
            ])
        #expect(scenario.sweep.first?.location == SourceLocation(file: path, line: 80, column: 3))
        #expect(scenario.baseline == ["engine.epsilon": .number(0.2)])
        #expect(
            scenario.checks == [
                Check(persona: "mlm_newbie", championIsTrueBestByDay: 90, minProbability: 0.9),
                Check(persona: "solo_coach", championIsTrueBestByDay: 119, minProbability: 0.5),
            ])
        #expect(scenario.checks.first?.location == SourceLocation(file: path, line: 84, column: 5))
    }

    @Test func appliesEveryDefault() throws {
        let scenario = try ScenarioLoader.parse(Fixtures.text("minimal.yaml"), file: "minimal.yaml")
        let expected = Scenario(
            name: "minimal", description: "", seed: 1, horizonDays: 120, replicates: 1,
            traffic: Traffic(schedule: [TrafficPeriod(fromDay: 0, perDay: 50)], arrivals: .poisson, weekly: nil),
            personas: [
                Persona(
                    id: "p", share: 1, activationEvent: "win", v3Default: [V3Split(flow: "a", variant: "v", weight: 1)],
                    flows: [
                        Flow(
                            id: "a", steps: ["s1", "win"], candidate: false, introducedDay: 0,
                            truth: Truth(
                                activation7d: 0.5, retention30d: .flat(0.3), upgrade: 0,
                                timeToFirstWin: TimeToWin(distribution: .lognormal, medianMinutes: 90, sigma: 0.8)))
                    ], deviation: nil, drift: [])
            ],
            engine: EngineSettings(), jobFailureRate: 0,
            sweep: [], baseline: [:], checks: [])
        #expect(scenario == expected)
        #expect(scenario.configurations().count == 1)
        #expect(scenario.configurations() == [[:]])
        #expect(scenario.baselineConfigurationIndex() == 0)
    }

    @Test func signupsPerDayAcceptsAScheduleList() throws {
        let text = try Fixtures.text("minimal.yaml").replacingOccurrences(
            of: "traffic: {signups_per_day: 50}",
            with: "traffic: {signups_per_day: [{from_day: 0, per_day: 10}, {from_day: 7, per_day: 20}]}")
        let scenario = try ScenarioLoader.parse(text, file: "minimal.yaml")
        #expect(
            scenario.traffic.schedule == [TrafficPeriod(fromDay: 0, perDay: 10), TrafficPeriod(fromDay: 7, perDay: 20)])
    }

    @Test func anchorsAndMergeKeysAreExpanded() throws {
        let text = """
            name: anchors
            traffic: {signups_per_day: 10}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: a, variant: v}]
                flows:
                  - id: a
                    steps: &steps [x, win]
                    truth: &base {activation_7d: 0.5, retention_30d: 0.3, upgrade: 0.1}
                  - id: b
                    steps: [win]
                    truth:
                      <<: *base
                      activation_7d: 0.6
                  - id: c
                    steps: [y, win]
                    truth: {<<: [{upgrade: 0.2}, *base]}
            """
        let scenario = try ScenarioLoader.parse(text, file: "anchors.yaml")
        let truths = scenario.personas[0].flows.map(\.truth)
        #expect(
            truths == [
                Truth(activation7d: 0.5, retention30d: .flat(0.3), upgrade: 0.1),
                Truth(activation7d: 0.6, retention30d: .flat(0.3), upgrade: 0.1),
                Truth(activation7d: 0.5, retention30d: .flat(0.3), upgrade: 0.2),
            ])
        let broken = text.replacingOccurrences(of: "<<: *base", with: "<<: 3")
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.parse(broken, file: "anchors.yaml") }
        #expect(
            error.description == """
                anchors.yaml:14:11: personas[0].flows[1].truth.retention_30d: missing required key 'retention_30d'
                anchors.yaml:14:15: personas[0].flows[1].truth: a merge key '<<' takes a mapping or a list of mappings, \
                found integer 3
                """)
    }

    @Test func equalityIgnoresLocations() throws {
        let text = try Fixtures.text("valid-full.yaml")
        let here = try ScenarioLoader.parse(text, file: "a.yaml")
        let there = try ScenarioLoader.parse("\n\n" + text, file: "b.yaml")
        #expect(here == there)
        #expect(here.personas[0].location != there.personas[0].location)
        var changed = there
        changed.personas[0].flows[0].steps.append("extra")
        #expect(here != changed)
    }

    @Test func timeToWinEqualityIgnoresSigmaOutsideLognormal() {
        #expect(
            TimeToWin(distribution: .fixed, medianMinutes: 5, sigma: 0)
                == TimeToWin(distribution: .fixed, medianMinutes: 5))
        #expect(TimeToWin(distribution: .lognormal, medianMinutes: 5, sigma: 0) != TimeToWin(medianMinutes: 5))
    }

    @Test func truthPatchReplacesOnlyTheFieldsItSets() {
        let truth = Truth(activation7d: 0.5, retention30d: .flat(0.3), upgrade: 0.1)
        let patched = truth.applying(TruthPatch(activation7d: 0.2))
        #expect(patched == Truth(activation7d: 0.2, retention30d: .flat(0.3), upgrade: 0.1))
    }

    @Test func loadReportsAMissingFile() {
        let path = Fixtures.url("no-such-file.yaml").path
        #expect {
            try ScenarioLoader.load(path: path)
        } throws: { error in
            guard let error = error as? ScenarioError, let diagnostic = error.diagnostics.first else { return false }
            return error.diagnostics.count == 1 && diagnostic.location == SourceLocation(file: path, line: 0, column: 0)
                && diagnostic.description.hasPrefix("\(path): cannot read the file")
        }
    }

    @Test func diagnosticsCarryTheLoadedPath() throws {
        let path = Fixtures.url("invalid/wrong-types.yaml").path
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(path: path) }
        #expect(error.diagnostics.allSatisfy { $0.location.file == path })
        #expect(error.description.split(separator: "\n").count == error.diagnostics.count)
    }

    @Test func diagnosticDescriptionFormats() {
        let located = Diagnostic(
            location: SourceLocation(file: "s.yaml", line: 3, column: 7), path: "engine.epsilon", reason: "bad")
        #expect(located.description == "s.yaml:3:7: engine.epsilon: bad")
        let whole = Diagnostic(location: SourceLocation(file: "s.yaml", line: 1, column: 1), path: "", reason: "empty")
        #expect(whole.description == "s.yaml:1:1: empty")
        let override = Diagnostic(
            location: SourceLocation(file: "<overrides>", line: 0, column: 0), path: "engine.epsilon", reason: "bad")
        #expect(override.description == "<overrides>: engine.epsilon: bad")
    }

    @Test func engineConfigurationNeedsOnlyPersonas() throws {
        let text = try Fixtures.text("engine-config.yaml")
        let scenario = try ScenarioLoader.parse(text, file: "configs/Engine Config.yaml", mode: .engineConfiguration)
        #expect(scenario.name == "engine-config")
        #expect(scenario.traffic == Traffic(signupsPerDay: 0))
        #expect(scenario.engine.epsilon == 0.1)
        #expect(scenario.engine.laws.maxEpsilon == 0.2)
        #expect(scenario.personas.map(\.id) == ["mlm_newbie", "browser"])
        let newbie = scenario.personas[0]
        #expect(newbie.activationEvent == "first_lead")
        #expect(newbie.flows.map(\.truth) == [nil, nil])
        #expect(newbie.v3Default == [V3Split(flow: "A", variant: "product_first")])
        let browser = scenario.personas[1]
        #expect(browser.activationEvent == "")
        #expect(browser.flows.isEmpty)
        #expect(browser.v3Default.isEmpty)
        // Round trip in the same mode.
        let again = try ScenarioLoader.parse(scenario.resolvedYAML(), file: "r.yaml", mode: .engineConfiguration)
        #expect(again == scenario)
    }

    @Test func engineConfigurationIsNotAScenario() throws {
        let text = try Fixtures.text("engine-config.yaml")
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: "e.yaml") }
        let expected = """
            e.yaml:2:1: name: missing required key 'name' (it names the results folder)
            e.yaml:2:1: traffic: missing required key 'traffic'
            e.yaml:7:9: personas[0].flows[0].truth: missing required key 'truth' (every flow of a scenario needs a truth)
            e.yaml:9:9: personas[0].flows[1].truth: missing required key 'truth' (every flow of a scenario needs a truth)
            e.yaml:12:5: personas[1].activation_event: missing required key 'activation_event' (the event that counts as activation)
            e.yaml:12:5: personas[1].flows: missing required key 'flows'
            e.yaml:12:5: personas[1].v3_default: missing required key 'v3_default' (what users see while there is no champion)
            """
        #expect(error.description == expected)
    }

    @Test func engineConfigurationStillValidatesWhatIsPresent() throws {
        let text = """
            personas:
              - id: p
                flows:
                  - id: a
                    steps: [x, x]
                    truth: {activation_7d: 2, retention_30d: 0.1}
            engine: {epsilon: -1}
            """
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.parse(text, file: "e.yaml", mode: .engineConfiguration)
        }
        let expected = """
            e.yaml:5:20: personas[0].flows[0].steps[1]: step 'x' is repeated (already personas[0].flows[0].steps[0])
            e.yaml:6:32: personas[0].flows[0].truth.activation_7d: must be between 0 and 1, found 2
            e.yaml:7:19: engine.epsilon: must be between 0 and 1, found -1
            """
        #expect(error.description == expected)
    }
}
