import Foundation
import LabTestSupport
import Testing

/// Issue 10, items 2 and 5: results are written into `<out>.partial/` and renamed when complete (manifest last,
/// `complete: true`, SHA-256 of every file); a `sweep` killed with SIGKILL leaves only the partial folder, and
/// `--resume` finishes the missing replicates into a folder byte-identical to an uninterrupted run (manifest times
/// and command aside).
@Suite(.serialized) struct ResumeTests {
    static let scenario = Repo.scenario("retention-blind-spot.yaml")
    /// 4 configurations × 4 replicates of 40 days: 16 checkpoints, a few seconds in a debug build.
    static let sweep = ["sweep", scenario, "--replicates", "4", "--horizon", "40", "--quiet"]
    /// How many kill/resume cycles to run (LAB_KILL_CYCLES; CI default 2, at different moments).
    static let cycles = Int(ProcessInfo.processInfo.environment["LAB_KILL_CYCLES"] ?? "") ?? 2

    /// Every file of a folder (relative path → bytes), manifest.json without its times and command.
    static func contents(of folder: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder))
        while let relative = enumerator.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            if relative == "manifest.json" {
                var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                for key in ["started_at", "finished_at", "command", "threads"] { object.removeValue(forKey: key) }
                data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            }
            result[relative] = data
        }
        return result
    }

    static func checkpoints(_ partial: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: partial + "/checkpoints")) ?? []
        return names.filter { $0.hasPrefix("c") && $0.hasSuffix(".json") }.count
    }

    @Test func killedSweepResumesToTheSameBytes() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let reference = cli.path("reference")
        let uninterrupted = try cli.run(Self.sweep + ["--out", reference])
        try #require(uninterrupted.exitCode == 0, "\(uninterrupted)")
        let expected = try Self.contents(of: reference)
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reference + "/manifest.json")))
                as? [String: Any])
        #expect(manifest["complete"] as? Bool == true)
        let files = try #require(manifest["files"] as? [String: String])
        #expect(Set(files.keys) == Set(expected.keys).subtracting(["manifest.json"]))
        #expect(!FileManager.default.fileExists(atPath: reference + ".partial"))

        let executable = try CLIRunner.executable(named: "onboarding-lab")
        for cycle in 0..<Self.cycles {
            let out = cli.path("killed-\(cycle)")
            let partial = out + ".partial"
            let process = Process()
            process.executableURL = executable
            process.arguments = Self.sweep + ["--out", out, "--threads", "1"]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Kill after 1, 6, 11… checkpoints (different moments of the sweep).
            let target = 1 + 5 * (cycle % 3)
            let deadline = Date().addingTimeInterval(120)
            while Self.checkpoints(partial) < target, process.isRunning, Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "the sweep finished before it was killed")
            #expect(!FileManager.default.fileExists(atPath: out), "a killed sweep left a folder that looks complete")
            let before = Self.checkpoints(partial)
            #expect(before >= target && before < 16, "checkpoints at the kill: \(before)")

            let resumed = try cli.run(Self.sweep + ["--resume", partial])
            #expect(resumed.exitCode == 0, "\(resumed)")
            #expect(!FileManager.default.fileExists(atPath: partial))
            let actual = try Self.contents(of: out)
            #expect(actual.keys.sorted() == expected.keys.sorted())
            for (name, data) in expected { #expect(actual[name] == data, "cycle \(cycle): \(name) differs") }
        }
    }

    @Test func anExistingFolderIsRefusedUnlessForced() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let out = cli.path("out")
        let quick = ["run", Self.scenario, "--replicates", "2", "--horizon", "10", "--quiet", "--out", out]
        try #require(try cli.run(quick).exitCode == 0)
        try Data("stale".utf8).write(to: URL(fileURLWithPath: out + "/stale.txt"))
        let refused = try cli.run(quick)
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("already exists") && refused.stderr.contains("--force"), "\(refused)")
        #expect(FileManager.default.fileExists(atPath: out + "/stale.txt"), "a refused run touched the folder")
        let forced = try cli.run(quick + ["--force"])
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(!FileManager.default.fileExists(atPath: out + "/stale.txt"), "a stale file survived --force")
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
    }

    @Test func resumeRefusesAnotherPlanOrAMissingFolder() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let missing = try cli.run(Self.sweep + ["--resume", cli.path("nothing.partial")])
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.stderr.contains("no such folder to resume"), "\(missing)")
        let notPartial = try cli.run(Self.sweep + ["--resume", cli.path("nothing")])
        #expect(notPartial.exitCode == 64, "\(notPartial)")
        // A partial folder from another seed cannot be resumed.
        let partial = cli.path("x.partial")
        try FileManager.default.createDirectory(atPath: partial + "/checkpoints", withIntermediateDirectories: true)
        try Data(#"{"command":["x"],"identity":"something else"}"#.utf8).write(
            to: URL(fileURLWithPath: partial + "/checkpoints/plan.json"))
        let other = try cli.run(Self.sweep + ["--resume", partial])
        #expect(other.exitCode == 2, "\(other)")
        #expect(other.stderr.contains("another scenario or other options"), "\(other)")
    }
}
