import Foundation
import LabTestSupport
import Testing

/// `tune` and `sweep --grid` through the built binary.
@Suite("tune and sweep --grid")
struct TuneCommandTests {
    static let scenario = CheckCommandTests.scenario(checks: "")

    /// `sweep --grid` and `tune --grid` with the same axis write the same configs.csv (names, values, baseline).
    @Test func sweepAndTuneNameConfigurationsAlike() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("quick.yaml", Self.scenario)
        let sweep = try cli.run(
            "sweep", file, "--grid", "engine.epsilon=0:0.2:0.1", "--replicates", "4", "--quiet", "--out",
            cli.path("sweep"))
        #expect(sweep.exitCode == 0, "\(sweep)")
        let tune = try cli.run(
            "tune", file, "--grid", "engine.epsilon=0,0.1,0.2", "--batch", "2", "--max-replicates", "4", "--quiet",
            "--out", cli.path("tune"))
        #expect(tune.exitCode == 0, "\(tune)")
        let configs = try cli.bytes("sweep/configs.csv")
        #expect(try cli.bytes("tune/configs.csv") == configs)
        #expect(String(decoding: configs, as: UTF8.self).hasPrefix("config,baseline,engine.epsilon\r\nc0,0,0.0\r\n"))
        #expect(tune.stdout.contains("separation: "), "\(tune.stdout)")
        // --set works for sweep too, and a bad --grid is a usage error naming the path.
        let set = try cli.run(
            "sweep", file, "--grid", "engine.epsilon=0.1,0.2", "--set", "engine.window_days=20", "--replicates", "2",
            "--quiet", "--out", cli.path("set"))
        #expect(set.exitCode == 0, "\(set)")
        let bad = try cli.run("sweep", file, "--grid", "engine.epsilonn=0,1")
        #expect(bad.exitCode == 64 && bad.stderr.contains("engine.epsilonn"), "\(bad)")
        let twice = try cli.run("sweep", file, "--grid", "engine.epsilon=0.1", "--grid", "engine.epsilon=0.2")
        #expect(twice.exitCode == 64 && twice.stderr.contains("given twice"), "\(twice)")
    }

    @Test func requireOption() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("quick.yaml", Self.scenario)
        let base = [
            "tune", file, "--grid", "engine.epsilon=0.1,0.2", "--batch", "2", "--max-replicates", "4", "--quiet",
        ]
        let malformed = try cli.run(base + ["--require", "activation_rate=0.5"])
        #expect(malformed.exitCode == 64 && malformed.stderr.contains("'activation_rate=0.5'"), "\(malformed)")
        let unknown = try cli.run(base + ["--require", "conversion>=0.5"])
        #expect(unknown.exitCode == 64, "\(unknown)")
        #expect(unknown.stderr.contains("unknown metric 'conversion'") && unknown.stderr.contains("cumulative_regret"))
        for bad in [["--batch", "1"], ["--batch", "10001"], ["--max-replicates", "100001"]] {
            let r = try cli.run(["tune", file, "--grid", "engine.epsilon=0.1,0.2", "--quiet"] + bad)
            #expect(r.exitCode == 64, "\(bad): \(r)")
        }
        // Regret is never negative: no winner, exit 1.
        let none = try cli.run(base + ["--require", "cumulative_regret<=-1", "--out", cli.path("none")])
        #expect(none.exitCode == 1, "\(none)")
        #expect(none.stdout.contains("no winner: no configuration meets cumulative_regret<=-1"), "\(none.stdout)")
        let met = try cli.run(
            base + ["--persona", "p", "--require", "final_champion_correct>=0.5", "--out", cli.path("met")])
        #expect(met.exitCode == 0, "\(met)")
        #expect(met.stdout.contains("winner:    c"), "\(met.stdout)")
    }
}
