import Foundation
import Testing

@testable import Scenarios

/// Loading and writing back step funnels, conditional upgrades and outcome delays.
@Suite struct FunnelAndDelaysLoadingTests {
    static let text = """
        name: funnels
        traffic: {signups_per_day: 10}
        personas:
          - id: p
            activation_event: win
            funnel: {a: 0.9, win: 0.8}
            outcome_delays:
              retention: {distribution: lognormal, median_days: 12, sigma: 0.4, max_days: 80}
              upgrade: {distribution: exponential, median_days: 3}
            v3_default: [{flow: f, variant: v}]
            flows:
              - id: f
                steps: [a, b, win]
                funnel: {a: 0.5, b: 0.25}
                truth: {activation_7d: 0.5, retention_30d: 0.3, upgrade: {if_retained: 0.4, if_not_retained: 0.1}}
              - id: g
                steps: [win]
                truth: {activation_7d: 0.5, retention_30d: 0.3, upgrade: {if_activated: 0.2, if_not: 0}}
            drift: [{day: 3, flow: g, truth: {upgrade: {if_retained: 1, if_not_retained: 0.5}}}]
        """

    @Test func decodesTheNewKeys() throws {
        let scenario = try ScenarioLoader.parse(Self.text, file: "funnels.yaml")
        let persona = try #require(scenario.personas.first)
        #expect(
            persona.funnel == [
                StepContinuation(step: "a", probability: 0.9), StepContinuation(step: "win", probability: 0.8),
            ])
        #expect(
            persona.outcomeDelays
                == OutcomeDelays(
                    retention: OutcomeDelay(distribution: .lognormal, medianDays: 12, sigma: 0.4, maxDays: 80),
                    upgrade: OutcomeDelay(distribution: .exponential, medianDays: 3, maxDays: 90)))
        let f = try #require(persona.flow("f"))
        let g = try #require(persona.flow("g"))
        #expect(f.truth?.upgrade == .ifRetained(yes: 0.4, no: 0.1))
        #expect(g.truth?.upgrade == .ifActivated(yes: 0.2, no: 0))
        #expect(persona.drift.first?.truth.upgrade == .ifRetained(yes: 1, no: 0.5))
        // The flow's entries override the persona's; the persona's apply to the flow's steps only.
        #expect(persona.funnel(of: f) == ["a": 0.5, "b": 0.25, "win": 0.8])
        #expect(persona.funnel(of: g) == ["win": 0.8])
    }

    @Test func roundTripsThroughTheResolvedYAML() throws {
        let scenario = try ScenarioLoader.parse(Self.text, file: "funnels.yaml")
        let resolved = scenario.resolvedYAML()
        #expect(resolved.contains("    funnel: {a: 0.9, win: 0.8}\n"))
        #expect(resolved.contains("upgrade: {if_retained: 0.4, if_not_retained: 0.1}"))
        let again = try ScenarioLoader.parse(resolved, file: "resolved.yaml")
        #expect(again == scenario)
        #expect(again.resolvedYAML() == resolved)
    }

    @Test(arguments: ["step-funnel.yaml", "outcome-delays.yaml"])
    func curatedScenariosRoundTrip(name: String) throws {
        let url = Fixtures.packageRoot.appendingPathComponent("scenarios").appendingPathComponent(name)
        let scenario = try ScenarioLoader.parse(String(contentsOf: url, encoding: .utf8), file: name)
        #expect(scenario.personas.contains { $0.funnel != nil || $0.outcomeDelays != nil })
        #expect(try ScenarioLoader.parse(scenario.resolvedYAML(), file: "resolved.yaml") == scenario)
    }
}
