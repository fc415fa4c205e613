import Experiments
import LabTestSupport
import Reports
import Scenarios
import Simulation
import Stochastics
import Testing

/// Users' own rates around a flow's (issue 14, item 2): `{mean, concentration}` → a Beta per user, placed by one
/// latent uniform per user and rate that is the same under every flow.
@Suite("Heterogeneous users")
struct HeterogeneityTests {
    static func curated() throws -> Scenario {
        try ScenarioLoader.load(path: Repo.scenario("heterogeneous-users.yaml"))
    }

    static func tables(_ scenario: Scenario) throws -> [String] {
        let plan = try ExperimentPlan(scenario: scenario, sweep: false, replicates: 2, horizonDays: 45, scale: 0.5)
        let r = ExperimentResults(
            plan: plan, outcomes: try ExperimentRunner.run(plan, options: RunOptions(store: .memory, threads: 2)))
        return [ResultTables.daily(r.dailyRows).text, ResultTables.replicates(r.replicateRows).text]
    }

    static func withSpread(_ scenario: Scenario, _ spread: RateSpread) -> Scenario {
        var s = scenario
        for p in s.personas.indices {
            for f in s.personas[p].flows.indices { s.personas[p].flows[f].truth?.spread = spread }
        }
        return s
    }

    /// An infinite concentration is the fixed rate: the outputs equal the scenario without spread, byte for byte;
    /// the curated spread changes them.
    @Test func infiniteConcentrationEqualsFixedRates() throws {
        let curated = try Self.curated()
        let fixed = try Self.tables(Self.withSpread(curated, RateSpread()))
        let infinite = try Self.tables(Self.withSpread(curated, RateSpread(activation: .infinity, retention: .infinity)))
        #expect(fixed == infinite)
        #expect(try Self.tables(curated) != fixed)
    }

    /// The users' rates have the Beta's mean and variance mean·(1 − mean)/(c + 1): midpoint sums over 20,000
    /// uniforms, within 10⁻³ of the mean and 2% of the variance.
    @Test(arguments: [(0.3, 2.0), (0.7, 20.0), (0.05, 0.5), (0.5, 1e8)])
    func userRatesHaveTheBetaMoments(mean: Double, concentration: Double) {
        let truth = FlowTruth(
            activation7d: mean, retentionIfActivated: 0.5, retentionIfNot: 0.5, upgrade: 0,
            timeToFirstWin: .fixed(minutes: 60), activationConcentration: concentration)
        let n = 20_000
        let rates = (0..<n).map { i in
            UserRates(user: Self.user(h: (Double(i) + 0.5) / Double(n)), truth: truth).activation7d
        }
        let m = rates.reduce(0, +) / Double(n)
        let v = rates.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n)
        let expected = mean * (1 - mean) / (concentration + 1)
        #expect(rates.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(abs(m - mean) < 1e-3, "mean \(m), expected \(mean)")
        #expect(abs(v - expected) <= 0.02 * expected + 1e-12, "variance \(v), expected \(expected)")
    }

    /// One latent uniform places the user under every flow: a user's rank among users is the same under both
    /// flows of the curated scenario (comonotone rates), and a user's activation under the two flows agrees more
    /// often than independent draws would.
    @Test func oneUniformPlacesTheUserUnderEveryFlow() throws {
        let world = try ScenarioMapping.world(from: try Self.curated())
        let flows = world.personas[0].flows.map(\.truth)
        let hs = stride(from: 0.01, to: 1, by: 0.01).map { $0 }
        let underA = hs.map { UserRates(user: Self.user(h: $0), truth: flows[0]).activation7d }
        let underB = hs.map { UserRates(user: Self.user(h: $0), truth: flows[1]).activation7d }
        #expect(underA == underA.sorted() && underB == underB.sorted())
        #expect(underA.first! < underA.last! && underB.first! < underB.last!)
    }

    /// Located errors: a concentration of 0, a spread without concentration, a concentration in a drift.
    @Test(arguments: [
        ("{mean: 0.5, concentration: 0}", "personas[0].flows[0].truth.activation_7d.concentration", "greater than 0"),
        ("{mean: 0.5}", "personas[0].flows[0].truth.activation_7d.concentration", "missing required key 'concentration'"),
        ("{mean: 1.5, concentration: 3}", "personas[0].flows[0].truth.activation_7d.mean", "between 0 and 1"),
    ])
    func invalidSpreadIsLocated(rate: String, path: String, reason: String) throws {
        let text = """
            name: bad
            traffic: {signups_per_day: 10}
            personas:
              - id: p
                activation_event: win
                v3_default: [{flow: f, variant: v}]
                flows: [{id: f, steps: [a, win], truth: {activation_7d: \(rate), retention_30d: 0.5}}]
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: "bad.yaml") }
        let hit = error.diagnostics.first { $0.path == path }
        #expect(hit?.reason.contains(reason) == true, "\(error.description)")
    }

    /// `.inf` is accepted and written back as `.inf`; the resolved YAML of the curated scenario round-trips.
    @Test func infiniteConcentrationRoundTrips() throws {
        let spread = Self.withSpread(try Self.curated(), RateSpread(activation: .infinity, retention: 4))
        let text = spread.resolvedYAML()
        #expect(text.contains("concentration: .inf"))
        #expect(try ScenarioLoader.parse(text, file: "resolved.yaml") == spread)
    }

    static func user(h: Double) -> SyntheticUser {
        SyntheticUser(
            index: 0, persona: 0, signupMinute: 0, uDeviation: 0, uActivation: 0, uTime: 0, uRetention: 0,
            uUpgrade: 0, hActivation: h, hRetention: h)
    }
}
