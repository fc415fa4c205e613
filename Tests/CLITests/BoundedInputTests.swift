import Foundation
import LabTestSupport
import Testing

/// Issue 10's reproductions: every number a user can type has a range; out of range is a clear error naming the
/// value and the range (exit 2 in a file, 64 on the command line, 6 for `engine settings`), never a crash or a hang.
@Suite struct BoundedInputTests {
    /// A command line and the exit code and message fragments it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var exit: Int32
        var mentions: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let seed = Repo.scenario("seed-narrative.yaml")
    static let batched = Repo.scenario("batched-4arm.yaml")
    static let huge = "9223372036854775807"

    static let commandLineCases: [Case] = [
        Case(arguments: ["run", seed, "--horizon", huge], exit: 64, mentions: ["--horizon", "1 and 3650", huge]),
        Case(
            arguments: ["run", seed, "--set", "engine.window_days=\(huge)"], exit: 64,
            mentions: ["engine.window_days", "1 and 3650", huge]),
        Case(
            arguments: ["run", batched, "--scale", "1e12", "--replicates", "1", "--horizon", "1"], exit: 64,
            mentions: ["--scale", "at most 1000000"]),
        Case(arguments: ["run", seed, "--scale", "1e300"], exit: 64, mentions: ["--scale", "1e+300"]),
        Case(
            arguments: ["run", batched, "--scale", "100000", "--replicates", "1", "--horizon", "1"], exit: 64,
            mentions: ["--scale", "busiest day", "10000000"]),
        Case(
            arguments: ["run", seed, "--replicates", huge], exit: 64, mentions: ["--replicates", "1 and 100000", huge]),
        Case(arguments: ["run", seed, "--threads", "0"], exit: 64, mentions: ["--threads", "1 and 1024"]),
        Case(
            arguments: ["sweep", seed, "--set", "governance.max_win_score_degradation=1.5"], exit: 64,
            mentions: ["governance.max_win_score_degradation", "between 0 and 1", "1.5"]),
    ]

    @Test(arguments: commandLineCases)
    func commandLineValuesOutOfRange(_ c: Case) throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let result = try cli.run(c.arguments + ["--out", cli.path("out"), "--quiet"])
        #expect(result.exitCode == c.exit, "\(result)")
        for fragment in c.mentions { #expect(result.stderr.contains(fragment), "\(fragment) missing:\n\(result)") }
        #expect(!FileManager.default.fileExists(atPath: cli.path("out")), "a refused run wrote a folder")
    }

    @Test func databaseTimesAndDaysAreBounded() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let db = cli.path("engine.sqlite")
        try #require(cli.run("engine", "init", db, "--at", "0").exitCode == 0)
        let cases: [Case] = [
            Case(
                arguments: ["inspect", db, "--section", "trend", "--at", Self.huge], exit: 64,
                mentions: ["out of range", "9999-12-31T23:59Z"]),
            Case(
                arguments: ["inspect", db, "--section", "trend", "--days", Self.huge], exit: 64,
                mentions: ["--days", "1 and 3650"]),
            Case(
                arguments: ["engine", "nightly", db, "--at=-9223372036854775808"], exit: 64,
                mentions: ["out of range", "1970-01-01"]),
            Case(arguments: ["engine", "nightly", db, "--at", "1969-12-31"], exit: 64, mentions: ["before 1970"]),
            Case(
                arguments: ["engine", "settings", db, "--set", "law.max_win_score_degradation=2", "--at", "0"], exit: 6,
                mentions: ["law.max_win_score_degradation", "between 0 and 1", "found 2"]),
            Case(
                arguments: ["engine", "settings", db, "--set", "window_days=\(Self.huge)", "--at", "0"], exit: 6,
                mentions: ["window_days", "between 1 and 3650"]),
        ]
        for c in cases {
            let result = try cli.run(c.arguments)
            #expect(result.exitCode == c.exit, "\(result)")
            for fragment in c.mentions { #expect(result.stderr.contains(fragment), "\(fragment) missing:\n\(result)") }
        }
        // Nothing was changed by the refused settings.
        let settings = try cli.run("engine", "settings", db, "--format", "csv")
        #expect(settings.stdout.contains("window_days,30"), "\(settings)")
        #expect(settings.stdout.contains("law.max_win_score_degradation,0.1"), "\(settings)")
    }

    /// A curated scenario with one line replaced, written to the scratch folder.
    static func mutated(_ cli: LabCLI, _ name: String, replacing old: String, with new: String) throws -> String {
        let text = try String(contentsOfFile: Repo.scenario(name), encoding: .utf8)
        #expect(text.contains(old), "\(name) no longer contains \(old)")
        return try cli.write("mutant.yaml", text.replacingOccurrences(of: old, with: new))
    }

    @Test func fileValuesOutOfRangeAreLocatedErrors() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let cases: [(old: String, new: String, command: String, mentions: [String])] = [
            ("signups_per_day: 150", "signups_per_day: 1e20", "run", ["traffic.signups_per_day", "10000000"]),
            ("sigma: 0.8", "sigma: 40", "run", ["sigma", "between 0 and 10", "40"]),
            ("sigma: 0.8", "sigma: 1000", "check", ["sigma", "between 0 and 10", "1000"]),
            ("horizon_days: 120", "horizon_days: \(Self.huge)", "run", ["horizon_days", "1 and 3650"]),
        ]
        for c in cases {
            let file = try Self.mutated(cli, "seed-narrative.yaml", replacing: c.old, with: c.new)
            let result = try cli.run(c.command, file, "--out", cli.path("out"), "--quiet")
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("mutant.yaml:"), "no file:line:column\n\(result)")
            for fragment in c.mentions { #expect(result.stderr.contains(fragment), "\(fragment) missing:\n\(result)") }
        }
    }
}

/// "--out under a file" names the file that is in the way (Foundation alone says "error 512").
@Suite struct OutputPathTests {
    @Test func outUnderAFileNamesTheFile() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("plain", "not a folder")
        let result = try cli.run(
            "run", Repo.scenario("seed-narrative.yaml"), "--replicates", "1", "--horizon", "2", "--quiet", "--out",
            file + "/results")
        #expect(result.exitCode == 5, "\(result)")
        #expect(result.stderr.contains("\(file) is a file, not a folder"), "\(result)")
    }
}
