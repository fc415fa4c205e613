import Foundation
import LabTestSupport
import Testing

/// `run --export-users FILE` (issue 14, item 6): the per-user ground truth a reviewer asks for.
@Suite("Per-user export")
struct UserExportTests {
    static let horizon = 40

    /// The export of each curated research scenario has one row per simulated user; its realised activation is the
    /// counterfactual under the flow shown; the counterfactual activation of the users old enough reproduces
    /// replicates.csv's activation rate exactly, per replicate and persona; and the file is identical for 1 and 2
    /// threads.
    @Test(arguments: [
        "misclassified-personas.yaml", "heterogeneous-users.yaml", "step-funnel.yaml", "outcome-delays.yaml",
        "seed-narrative.yaml",
    ])
    func counterfactualsReproduceTheActivationRate(name: String) throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let common = [
            "run", Repo.scenario(name), "--replicates", "2", "--horizon", String(Self.horizon), "--scale", "0.2",
            "--store", "memory", "--quiet",
        ]
        let two = try cli.run(
            common + ["--threads", "2", "--out", cli.path("two"), "--export-users", cli.path("two.csv")])
        #expect(two.exitCode == 0, "\(two)")
        let one = try cli.run(
            common + ["--threads", "1", "--out", cli.path("one"), "--export-users", cli.path("one.csv")])
        #expect(one.exitCode == 0, "\(one)")
        let text = try String(contentsOfFile: cli.path("two.csv"), encoding: .utf8)
        #expect(text == (try String(contentsOfFile: cli.path("one.csv"), encoding: .utf8)))
        #expect(!FileManager.default.fileExists(atPath: cli.path("two/users")), "fragments left in the results folder")

        let users = Self.table(text)
        let column = Dictionary(uniqueKeysWithValues: users.header.enumerated().map { ($0.element, $0.offset) })
        let replicates = Self.table(try String(contentsOfFile: cli.path("two/replicates.csv"), encoding: .utf8))
        let rcol = Dictionary(uniqueKeysWithValues: replicates.header.enumerated().map { ($0.element, $0.offset) })
        #expect(users.rows.count > 1000)
        // The optional columns are filled exactly when the scenario has the phenomenon.
        let first = users.rows[0]
        #expect(first[column["u_inference"]!].isEmpty == (name != "misclassified-personas.yaml"))
        #expect(first[column["h_activation"]!].isEmpty == (name != "heterogeneous-users.yaml"))
        #expect(first[column["u_funnel"]!].isEmpty == (name != "step-funnel.yaml"))
        #expect(first[column["u_retention_delay"]!].isEmpty == (name != "outcome-delays.yaml"))
        for row in users.rows {
            let flow = row[column["flow"]!]
            #expect(row[column["activated"]!] == row[column["cf_activated:\(flow)"]!])
            #expect(row[column["retained"]!] == row[column["cf_retained:\(flow)"]!])
        }
        var checked = 0
        for r in replicates.rows {
            let replicate = r[rcol["replicate"]!]
            let persona = r[rcol["persona"]!]
            let mine = users.rows.filter {
                $0[column["replicate"]!] == replicate && (persona == "ALL" || $0[column["persona"]!] == persona)
            }
            #expect(mine.count == Int(r[rcol["users"]!]), "replicate \(replicate) \(persona): user count")
            let mature = mine.filter { Int($0[column["signup_day"]!])! <= Self.horizon - 8 }
            let activated = mature.filter { $0[column["cf_activated:\($0[column["flow"]!])"]!] == "1" }.count
            let rate = Double(activated) / Double(mature.count)
            #expect(
                rate == Double(r[rcol["activation_rate"]!]),
                "replicate \(replicate) \(persona): \(activated)/\(mature.count) vs \(r[rcol["activation_rate"]!])")
            checked += 1
        }
        #expect(checked >= 4)
    }

    /// A CSV file without quoted fields (the ids of these scenarios have no commas).
    static func table(_ text: String) -> (header: [String], rows: [[String]]) {
        let lines = text.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return (lines[0], Array(lines.dropFirst()))
    }

    /// A run killed with SIGKILL and resumed exports the same file as an uninterrupted run; a fragment left by a
    /// replicate that finished without its checkpoint (here: planted) is replaced, and the fragments go when the
    /// run completes.
    @Test func killedRunResumesToTheSameExport() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let run = [
            "run", Repo.scenario("heterogeneous-users.yaml"), "--replicates", "6", "--horizon", "30", "--scale",
            "0.3", "--store", "memory", "--threads", "1", "--quiet",
        ]
        let reference = try cli.run(
            run + ["--out", cli.path("reference"), "--export-users", cli.path("reference.csv")])
        try #require(reference.exitCode == 0, "\(reference)")
        let expected = try String(contentsOfFile: cli.path("reference.csv"), encoding: .utf8)

        let out = cli.path("killed")
        let file = cli.path("killed.csv")
        let process = Process()
        process.executableURL = try CLIRunner.executable(named: "onboarding-lab")
        process.arguments = run + ["--out", out, "--export-users", file]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while ResumeTests.checkpoints(out + ".partial") < 2, process.isRunning, Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it was killed")
        #expect(!FileManager.default.fileExists(atPath: file), "a killed run left an export")
        let parts = try FileManager.default.contentsOfDirectory(atPath: file + ".parts")
        #expect(parts.filter { $0.hasSuffix(".csv") }.count >= 2)
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: file + ".parts/c0-r5.csv"))

        let resumed = try cli.run(run + ["--resume", out + ".partial", "--export-users", file])
        #expect(resumed.exitCode == 0, "\(resumed)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == expected)
        #expect(!FileManager.default.fileExists(atPath: file + ".parts"))
        #expect(!FileManager.default.fileExists(atPath: file + ".tmp"))
    }

    /// An existing FILE is refused before anything is written (exit 2) unless --force; a folder is refused.
    @Test func existingFileIsRefused() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("users.csv", "keep me\n")
        let args = [
            "run", Repo.scenario("heterogeneous-users.yaml"), "--replicates", "1", "--horizon", "10", "--scale", "0.1",
            "--store", "memory", "--quiet", "--out", cli.path("out"), "--export-users", file,
        ]
        let refused = try cli.run(args)
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("use --force"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
        #expect(!FileManager.default.fileExists(atPath: cli.path("out.partial")))
        let forced = try cli.run(args + ["--force"])
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("config,replicate,user,"))
        let folder = try cli.run(Array(args.dropLast()) + [cli.path("out")])
        #expect(folder.exitCode == 2)
        #expect(folder.stderr.contains("is a folder"))
    }
}
