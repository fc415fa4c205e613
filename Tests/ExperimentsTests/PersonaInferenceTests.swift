import Experiments
import LabTestSupport
import Reports
import Scenarios
import Simulation
import Testing

/// `persona_inference` (issue 14, item 1): the engine sees the inferred persona, the truth follows the true one.
@Suite("Persona inference")
struct PersonaInferenceTests {
    static func results(_ scenario: Scenario, replicates: Int = 2, horizon: Int = 40, scale: Double = 0.5) throws
        -> ExperimentResults
    {
        let plan = try ExperimentPlan(
            scenario: scenario, sweep: false, replicates: replicates, horizonDays: horizon, scale: scale)
        return ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
    }

    static func tables(_ r: ExperimentResults) -> [String] {
        [ResultTables.daily(r.dailyRows).text, ResultTables.replicates(r.replicateRows).text]
    }

    static func curated() throws -> Scenario {
        try ScenarioLoader.load(path: Repo.scenario("misclassified-personas.yaml"))
    }

    /// A confusion matrix of identity gives the outputs of the scenario without one, and counts no misclassified
    /// user; the curated matrix changes them.
    @Test func identityMatrixEqualsNoInference() throws {
        var none = try Self.curated()
        none.personaInference = nil
        var identity = none
        identity.personaInference = PersonaInference(periods: [
            InferencePeriod(
                rows: none.personas.map { InferenceRow(persona: $0.id, inferred: [($0.id, 1)]) })
        ])
        let a = try Self.results(none)
        let b = try Self.results(identity)
        #expect(Self.tables(a) == Self.tables(b))
        #expect(b.replicateRows.allSatisfy { $0.misclassifiedUsers == 0 })
        #expect(a.replicateRows.allSatisfy { $0.misclassifiedUsers == nil })
        #expect(MisclassificationRow.rows(a.replicateRows).isEmpty)
        let curated = try Self.results(try Self.curated())
        #expect(Self.tables(curated) != Self.tables(a))
    }

    /// The share of each true persona's users inferred as another matches the matrix in force, before and after
    /// the classifier improves on day 60 (binomial, within 4 standard errors).
    @Test func misclassifiedSharesFollowTheMatrixOfTheDay() throws {
        let results = try Self.results(try Self.curated(), replicates: 2, horizon: 120, scale: 1)
        for (persona, before, after) in [("solo_maker", 0.1, 0.05), ("team_lead", 0.25, 0.125)] {
            for (days, p) in [(0..<60, before), (60..<120, after)] {
                let rows = results.dailyRows.filter { $0.persona == persona && days.contains($0.day) }
                let n = rows.reduce(0) { $0 + $1.signups }
                let k = rows.reduce(0) { $0 + ($1.misclassified ?? -1_000_000) }
                let se = (p * (1 - p) / Double(n)).squareRoot()
                #expect(n > 5000)
                #expect(
                    abs(Double(k) / Double(n) - p) < 4 * se,
                    "\(persona) days \(days): \(k)/\(n) misclassified, expected share \(p)")
            }
        }
    }

    /// Outcomes follow the true persona: every team lead is inferred as a solo maker, both personas have one flow
    /// with the same steps, solo makers activate at 0.9 and team leads at 0.1. The team leads' activation rate is
    /// 0.1 (the truth of the true persona), not 0.9; all of them count as misclassified; nobody reaches the
    /// engine as a team lead.
    @Test func outcomesFollowTheTruePersona() throws {
        let text = """
            name: all-misread
            seed: 3
            horizon_days: 30
            traffic: {signups_per_day: 400, arrivals: constant}
            personas:
              - id: solo
                activation_event: win
                v3_default: [{flow: f, variant: v}]
                flows: [{id: f, steps: [a, win], truth: {activation_7d: 0.9, retention_30d: 0.5}}]
              - id: team
                activation_event: win
                v3_default: [{flow: f, variant: v}]
                flows: [{id: f, steps: [a, win], truth: {activation_7d: 0.1, retention_30d: 0.5}}]
            persona_inference:
              team: {solo: 1}
            """
        let scenario = try ScenarioLoader.parse(text, file: "all-misread.yaml")
        let results = try Self.results(scenario, replicates: 1, horizon: 30, scale: 1)
        let team = try #require(results.replicateRows.first { $0.persona == "team" })
        let solo = try #require(results.replicateRows.first { $0.persona == "solo" })
        #expect(team.misclassifiedUsers == team.users)
        #expect(solo.misclassifiedUsers == 0)
        let teamRate = try #require(team.activationRate)
        let soloRate = try #require(solo.activationRate)
        // ≈ 2,600 team users with known activation: 4 standard errors of 0.1 are ≈ 0.024.
        #expect(abs(teamRate - 0.1) < 0.03, "team leads activated at \(teamRate)")
        #expect(abs(soloRate - 0.9) < 0.03, "solo makers activated at \(soloRate)")
        // The engine saw every user as a solo maker: its team patterns never got a sample, so no team champion.
        #expect(results.dailyRows.filter { $0.persona == "team" }.allSatisfy { $0.championFlow.isEmpty })
    }

    /// Misreading can show a user a flow the user's own persona does not present yet: it counts among the flows the
    /// user can get (truth table: "when misread as …"), so regret stays ≥ 0. Team leads' guided setup is a
    /// candidate from day 30 only, but a team lead read as a solo maker is shown it (solo makers' v3 default) from
    /// day 0 — and it is better for team leads than their quick start.
    @Test func flowsReachedByMisreadingCountAsPresentable() throws {
        var scenario = try Self.curated()
        let team = try #require(scenario.personas.firstIndex { $0.id == "team_lead" })
        let guided = try #require(scenario.personas[team].flows.firstIndex { $0.id == "guided_setup" })
        scenario.personas[team].flows[guided].introducedDay = 30
        let results = try Self.results(scenario, replicates: 1, horizon: 30, scale: 0.5)
        let teamRows = results.dailyRows.filter { $0.persona == "team_lead" }
        #expect(teamRows.reduce(0) { $0 + ($1.misclassified ?? 0) } > 100)
        for row in results.dailyRows {
            #expect(row.regret >= 0 && (row.misclassifiedRegret ?? 0) >= 0, "day \(row.day) \(row.persona)")
        }
        #expect(teamRows.allSatisfy { $0.trueBestFlow == "guided_setup" })
        let truth = try TruthTable.rows(scenario: scenario, day: 0)
        let row = try #require(truth.first { $0.persona == "team_lead" && $0.flow == "guided_setup" })
        #expect(row.presentable && TruthTable.reach(row).contains("when misread as solo_maker"))
    }

    /// The report names the cost of misclassification, and inference.csv's rows add up.
    @Test func reportShowsTheCost() throws {
        let results = try Self.results(try Self.curated(), replicates: 2, horizon: 60, scale: 0.5)
        let rows = MisclassificationRow.rows(results.replicateRows)
        #expect(rows.count == 2 * 3)
        for r in 0..<2 {
            let perReplicate = rows.filter { $0.replicate == r }
            let all = try #require(perReplicate.first { $0.persona == "ALL" })
            #expect(
                all.misclassified == perReplicate.filter { $0.persona != "ALL" }.reduce(0) { $0 + $1.misclassified })
            #expect(all.misclassified > 0 && all.misclassifiedRegret <= all.regret)
        }
        let parsed = try ResultTables.parseInference(
            CSVTable(parsing: ResultTables.inference(rows).text), file: "inference.csv")
        #expect(parsed == rows)
        let analysis = try Analysis(
            scenario: results.plan.scenario, configs: ConfigTable(plan: results.plan), rows: results.replicateRows,
            daily: results.dailyRows)
        let report = MarkdownReport(
            scenario: results.plan.scenario, configs: ConfigTable(plan: results.plan), rows: results.replicateRows,
            analysis: analysis, inference: rows
        ).text
        #expect(report.contains("## Persona inference: the cost of misclassification"))
        #expect(report.contains("| team_lead | c0 |"))
        #expect(report.contains("- `inference.csv`: per configuration"))
        let without = MarkdownReport(
            scenario: results.plan.scenario, configs: ConfigTable(plan: results.plan), rows: results.replicateRows,
            analysis: analysis
        ).text
        #expect(!without.contains("inference.csv") && !without.contains("## Persona inference"))
    }

    /// Located errors: an unknown persona, a row of zeros, a persona that lacks a flow of the persona it may be
    /// inferred as, periods out of order.
    @Test(arguments: [
        ("  solo: {sollo: 1}", "persona_inference.solo.sollo", "unknown persona 'sollo'"),
        ("  solo: {team: 0}", "persona_inference.solo", "must not all be zero"),
        ("  solo: {solo: 0.5, team: 0.5}", "persona_inference.solo.team", "which 'solo' does not declare"),
        (
            "  - {from_day: 0, matrix: {solo: {team: 1}}}\n  - {from_day: 0, matrix: {}}",
            "persona_inference[1].from_day", "from_day must increase"
        ),
    ])
    func invalidInferenceIsLocated(entry: String, path: String, reason: String) throws {
        let text = """
            name: bad
            traffic: {signups_per_day: 10}
            personas:
              - id: solo
                activation_event: win
                v3_default: [{flow: f, variant: v}]
                flows: [{id: f, steps: [a, win], truth: {activation_7d: 0.5, retention_30d: 0.5}}]
              - id: team
                activation_event: win
                v3_default: [{flow: f, variant: v}]
                flows:
                  - {id: f, steps: [a, win], truth: {activation_7d: 0.5, retention_30d: 0.5}}
                  - {id: g, steps: [b, win], truth: {activation_7d: 0.5, retention_30d: 0.5}}
            persona_inference:
            \(entry)
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: "bad.yaml") }
        let hit = error.diagnostics.first { $0.path == path }
        #expect(hit != nil, "no diagnostic at \(path): \(error.description)")
        #expect(hit?.reason.contains(reason) == true, "\(error.description)")
        #expect((hit?.location.line ?? 0) >= 15)
    }
}
