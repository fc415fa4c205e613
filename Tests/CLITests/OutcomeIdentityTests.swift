import Foundation
import LabTestSupport
import Testing

/// The identities issue 14 names for step funnels and outcome delays, on the files `run` writes: a scenario whose
/// funnel is all ones, or whose delays are a fixed 30 days, gives byte-identical results to the same scenario
/// without them (flows.csv, written only with a funnel, is the one extra file).
@Suite("Funnel and delay identities on the result files")
struct OutcomeIdentityTests {
    static let files = [
        "daily.csv", "replicates.csv", "activation_regret.csv", "health.csv", "comparison.csv", "summary.json",
    ]

    /// Runs both scenario texts and expects every file of ``files`` to be byte-identical.
    func expectIdentical(_ a: String, _ b: String, extra: String? = nil) throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        for (name, text) in [("a", a), ("b", b)] {
            let scenario = try cli.write("\(name).yaml", text)
            let result = try cli.run(
                "run", scenario, "--out", cli.path(name), "--replicates", "2", "--horizon", "50", "--quiet")
            try #require(result.exitCode == 0, "\(result)")
        }
        for file in Self.files {
            let left = try cli.bytes("a/\(file)")
            #expect(!left.isEmpty, "\(file) is empty")
            #expect(left == (try cli.bytes("b/\(file)")), "\(file) differs")
        }
        let replicates = String(decoding: try cli.bytes("a/replicates.csv"), as: UTF8.self)
        #expect(replicates.split(whereSeparator: \.isNewline).count == 1 + 2 * 2, "two replicates × (persona + ALL)")
        if let extra {
            #expect(!FileManager.default.fileExists(atPath: cli.path("a/\(extra)")))
            #expect(FileManager.default.fileExists(atPath: cli.path("b/\(extra)")))
        }
    }

    static func scenario(_ personaExtra: String, tourExtra: String = "", upgrade: String = "0.05") -> String {
        """
        name: identity
        seed: 77
        horizon_days: 50
        replicates: 2
        traffic: {signups_per_day: 120}
        personas:
          - id: builder
            activation_event: publish
        \(personaExtra)
            v3_default:
              - {flow: tour, variant: guided}
              - {flow: express, variant: short}
            flows:
              - id: tour
                steps: [welcome, import, publish, invite]
        \(tourExtra)
                truth: {activation_7d: 0.6, retention_30d: {if_activated: 0.5, if_not: 0.1}, upgrade: \(upgrade)}
              - id: express
                steps: [welcome, publish]
                truth: {activation_7d: 0.5, retention_30d: 0.3, upgrade: \(upgrade)}
        """
    }

    @Test("a funnel of all ones equals no funnel, byte for byte")
    func allOnesFunnel() throws {
        try expectIdentical(
            Self.scenario(""),
            Self.scenario(
                "    funnel: {welcome: 1}", tourExtra: "        funnel: {import: 1, publish: 1, invite: 1}"),
            extra: "flows.csv")
    }

    @Test("fixed 30-day outcome delays equal no delays, byte for byte")
    func fixedThirtyDayDelays() throws {
        let delays = """
                outcome_delays:
                  retention: {distribution: fixed, median_days: 30}
                  upgrade: {distribution: fixed, median_days: 30, max_days: 30}
            """
        try expectIdentical(Self.scenario(""), Self.scenario(delays))
    }

    @Test("upgrade conditional on activation with equal parts equals a flat upgrade, byte for byte")
    func conditionalUpgradeWithEqualParts() throws {
        try expectIdentical(
            Self.scenario(""), Self.scenario("", upgrade: "{if_activated: 0.05, if_not: 0.05}"))
    }
}

/// flows.csv through sharding: the merged folder's flows.csv is the unsharded sweep's, byte for byte, and its
/// checksum is verified like the other data files.
@Suite("flows.csv across shards")
struct FlowsMergeTests {
    @Test func mergedShardsReproduceTheUnshardedFlowsFile() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let sweep = ["sweep", Repo.scenario("step-funnel.yaml"), "--replicates", "3", "--horizon", "20", "--quiet"]
        try #require(try cli.run(sweep + ["--out", cli.path("full")]).exitCode == 0)
        for k in 1...2 {
            let result = try cli.run(sweep + ["--shard", "\(k)/2", "--out", cli.path("s\(k)")])
            try #require(result.exitCode == 0, "\(result)")
        }
        let merged = try cli.run("merge", cli.path("merged"), cli.path("s1"), cli.path("s2"))
        try #require(merged.exitCode == 0, "\(merged)")
        let full = try cli.bytes("full/flows.csv")
        let rows = String(decoding: full, as: UTF8.self).split(whereSeparator: \.isNewline)
        // Two flows presented every day: 3 replicates × 20 days × 2 flows, plus the header.
        #expect(rows.count == 1 + 3 * 20 * 2)
        #expect(try cli.bytes("merged/flows.csv") == full)
        // report.md names flows.csv in its methods, the same after merge.
        let report = String(decoding: try cli.bytes("full/report.md"), as: UTF8.self)
        #expect(report.contains("- `flows.csv`: per configuration"))
        #expect(try cli.bytes("merged/report.md") == (try cli.bytes("full/report.md")))

        // An edited flows.csv fails the shard's checksum.
        var edited = String(decoding: try cli.bytes("s1/flows.csv"), as: UTF8.self)
        edited = edited.replacingOccurrences(of: ",builder,tour,", with: ",builder,tour,1")
        try cli.write("s1/flows.csv", edited)
        let refused = try cli.run("merge", cli.path("merged2"), cli.path("s1"), cli.path("s2"))
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("flows.csv"), "\(refused)")
    }
}
