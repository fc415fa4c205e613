import Experiments
import LabTestSupport
import Scenarios
import Simulation
import Testing

/// One sweep compares the seed engine, textbook ε-greedy, Thompson, UCB1, an A/B test and no learning on the same
/// users (issue 7, item 6).
@Suite("Baseline policies in a sweep")
struct BaselinePolicySweepTests {
    /// v3 default: A (weight 3) and B (weight 1); C, a candidate from day 0, is the true best. Every flow wins at
    /// exactly 600 minutes, so the speed bonus cancels out of every gap: gap(A) = 0.5·0.3 + 0.3·0.2 = 0.21,
    /// gap(B) = 0.5·0.2 + 0.3·0.1 = 0.13, gap(C) = 0.
    static let scenario = """
        name: baselines
        seed: 17
        horizon_days: 45
        replicates: 3
        traffic: {signups_per_day: 100}
        personas:
          - id: p
            activation_event: win
            v3_default: [{flow: A, variant: a, weight: 3}, {flow: B, variant: b, weight: 1}]
            flows:
              - id: A
                steps: [x, win]
                truth: {activation_7d: 0.3, retention_30d: 0.2, time_to_first_win: {distribution: fixed, median_minutes: 600}}
              - id: B
                steps: [y, win]
                truth: {activation_7d: 0.4, retention_30d: 0.3, time_to_first_win: {distribution: fixed, median_minutes: 600}}
              - id: C
                steps: [z, win]
                candidate: true
                truth: {activation_7d: 0.6, retention_30d: 0.4, time_to_first_win: {distribution: fixed, median_minutes: 600}}
        engine: {ab_test_days: 14}
        sweep:
          engine.policy: [seed-epsilon-greedy, epsilon-greedy, thompson, ucb1, ab-test, v3-default]
        """

    @Test func oneSweepComparesEveryPolicyOnTheSameUsers() throws {
        let plan = try ExperimentPlan(
            scenario: try ScenarioLoader.parse(Self.scenario, file: "baselines.yaml"), sweep: true)
        let results = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        func config(_ policy: String) throws -> String {
            try #require(plan.configurations.first { $0.settings.contains { $0.value == .string(policy) } }).name
        }
        let rows = results.replicateRows.filter { $0.persona == "p" }
        #expect(rows.count == 6 * 3)
        for r in 0..<3 {
            #expect(Set(rows.filter { $0.replicate == r }.map(\.users)).count == 1, "replicate \(r): same users")
        }

        // No learning: never an explore, regret per user = 0.75·0.21 + 0.25·0.13 = 0.19 in expectation; the
        // realised split of n users has standard error 0.08·√(0.75·0.25/n); 4 standard errors of tolerance.
        let v3 = try config("v3-default")
        let v3Daily = results.dailyRows.filter { $0.config == v3 }
        #expect(v3Daily.allSatisfy { $0.explore == 0 && $0.exploit == $0.signups })
        let v3Rows = rows.filter { $0.config == v3 }
        let users = v3Rows.map(\.users).reduce(0, +)
        let regretPerUser = v3Rows.map(\.cumulativeRegret).reduce(0, +) / Double(users)
        let tolerance = 4 * 0.08 * (0.75 * 0.25 / Double(users)).squareRoot()
        #expect(abs(regretPerUser - 0.19) < tolerance, "v3-default regret per user \(regretPerUser), expected 0.19")

        // The A/B test: days 0–13 all explore (uniform over A, B, C); from day 14 all exploit on the fixed flow,
        // which is C (zero regret) in every replicate.
        let ab = try config("ab-test")
        let abDaily = results.dailyRows.filter { $0.config == ab }
        #expect(abDaily.filter { $0.day < 14 }.allSatisfy { $0.explore == $0.signups && $0.exploit == 0 })
        #expect(abDaily.filter { $0.day >= 14 }.allSatisfy { $0.explore == 0 && $0.exploit == $0.signups })
        #expect(abDaily.filter { $0.day >= 14 }.allSatisfy { $0.regret == 0 }, "the A/B test fixed C")
        let testUsers = abDaily.filter { $0.day < 14 }.map(\.signups).reduce(0, +)
        let testRegret = abDaily.filter { $0.day < 14 }.map(\.regret).reduce(0, +) / Double(testUsers)
        let uniform = (0.21 + 0.13) / 3
        let abTolerance = 4 * (((0.21 * 0.21 + 0.13 * 0.13) / 3 - uniform * uniform) / Double(testUsers)).squareRoot()
        #expect(abs(testRegret - uniform) < abTolerance, "A/B phase regret per user \(testRegret), expected \(uniform)")

        // Sane ordering: every learning policy loses less than no learning, in every replicate.
        for r in 0..<3 {
            let baseline = try #require(v3Rows.first { $0.replicate == r }).cumulativeRegret
            for row in rows where row.replicate == r && row.config != v3 {
                #expect(row.cumulativeRegret < baseline, "\(row.config) replicate \(r)")
            }
        }
    }
}
