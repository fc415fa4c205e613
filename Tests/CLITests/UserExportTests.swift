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
        // Every row is checked; mismatches are collected so the check costs one expectation, not two per user.
        let (flowColumn, activatedColumn, retainedColumn) = (column["flow"]!, column["activated"]!, column["retained"]!)
        let (replicateColumn, personaColumn, signupColumn) =
            (column["replicate"]!, column["persona"]!, column["signup_day"]!)
        var counterfactualColumns: [String: (activated: Int, retained: Int)] = [:]
        for (name, index) in column where name.hasPrefix("cf_activated:") {
            let flow = String(name.dropFirst("cf_activated:".count))
            counterfactualColumns[flow] = (index, try #require(column["cf_retained:\(flow)"]))
        }
        var mismatches: [String] = []
        // Per (replicate, persona) and per (replicate, ALL): mature users and those activated under their flow.
        var tallies: [String: (mature: Int, activated: Int, users: Int)] = [:]
        for (n, row) in users.rows.enumerated() {
            guard let cf = counterfactualColumns[row[flowColumn]] else {
                mismatches.append("row \(n + 1): no counterfactual columns for flow \(row[flowColumn])")
                continue
            }
            if row[activatedColumn] != row[cf.activated] || row[retainedColumn] != row[cf.retained] {
                mismatches.append(
                    "row \(n + 1): realised \(row[activatedColumn])/\(row[retainedColumn]) vs counterfactual")
            }
            let mature = Int(row[signupColumn])! <= Self.horizon - 8
            let activated = mature && row[cf.activated] == "1"
            for key in ["\(row[replicateColumn])/\(row[personaColumn])", "\(row[replicateColumn])/ALL"] {
                var tally = tallies[key] ?? (0, 0, 0)
                tally.users += 1
                if mature { tally.mature += 1 }
                if activated { tally.activated += 1 }
                tallies[key] = tally
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) rows: \(mismatches.prefix(5))")
        var checked = 0
        for r in replicates.rows {
            let replicate = r[rcol["replicate"]!]
            let persona = r[rcol["persona"]!]
            let tally = tallies["\(replicate)/\(persona)"] ?? (0, 0, 0)
            #expect(tally.users == Int(r[rcol["users"]!]), "replicate \(replicate) \(persona): user count")
            let rate = Double(tally.activated) / Double(tally.mature)
            #expect(
                rate == Double(r[rcol["activation_rate"]!]),
                "replicate \(replicate) \(persona): \(tally.activated)/\(tally.mature) vs \(r[rcol["activation_rate"]!])"
            )
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
