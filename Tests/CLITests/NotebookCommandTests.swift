import Foundation
import LabTestSupport
import Testing

/// `notebook run` and `notebook check` through the built binary, in a scratch repository (`--root`).
@Suite("notebook command")
struct NotebookCommandTests {
    static let notebook = """
        # A tiny notebook

        Does the lab run? A short run of the A/A scenario:

        ```lab
        onboarding-lab run scenarios/aa.yaml --replicates 2 --horizon 8 --store memory --quiet --out results/nb/run
        ```

        And the truth table:

        ```lab
        onboarding-lab truth scenarios/aa.yaml
        ```

        The end.

        """

    /// A scratch repository holding the A/A scenario and `notebooks-md/nb.md`.
    static func repository(_ text: String = notebook) throws -> LabCLI {
        let cli = try LabCLI()
        try FileManager.default.createDirectory(atPath: cli.path("scenarios"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cli.path("notebooks-md"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Repo.scenario("aa-identical-flows.yaml"), toPath: cli.path("scenarios/aa.yaml"))
        try cli.write("notebooks-md/nb.md", text)
        return cli
    }

    static func text(_ cli: LabCLI, _ name: String) throws -> String {
        String(decoding: try cli.bytes(name), as: UTF8.self)
    }

    static func replace(_ cli: LabCLI, _ name: String, _ old: String, _ new: String) throws {
        let text = try Self.text(cli, name)
        let changed = try #require(text.range(of: old), "\(old) not in \(name)")
        try cli.write(name, text.replacingCharacters(in: changed, with: new))
    }

    /// run fills both output blocks and writes the results folder; check reproduces them; a one-character change
    /// in an output block, then in a referenced CSV, makes check exit 1 with a unified diff naming the line; a
    /// changed manifest time does not.
    @Test func runThenCheckDetectsOneCharacterChanges() throws {
        let cli = try Self.repository()
        defer { cli.remove() }
        let run = try cli.run("notebook", "run", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(run.exitCode == 0, "\(run)")
        let written = try Self.text(cli, "notebooks-md/nb.md")
        #expect(written.contains("```lab\nonboarding-lab run scenarios/aa.yaml --replicates 2"))
        #expect(written.contains("```\n```output\nresults/nb/run\n```\n\nAnd the truth table:"), "\(written)")
        #expect(written.hasSuffix("```\n\nThe end.\n"))
        let truth = try cli.run("truth", "scenarios/aa.yaml")
        #expect(written.contains("```output\n" + truth.stdout + "```\n"), "the second block holds truth's stdout")
        let replicates = try Self.text(cli, "results/nb/run/replicates.csv")
        #expect(replicates.hasPrefix("config,replicate,persona,"))

        let check = try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(check.exitCode == 0, "\(check)")
        #expect(check.stdout.contains("notebooks-md/nb.md: reproduced"))

        // Manifest times (and any key but the command) are not compared.
        try Self.replace(cli, "results/nb/run/manifest.json", "\"started_at\"", "\"ignored_key\" : 1, \"started_at\"")
        #expect(try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path).exitCode == 0)

        // One character in an output block.
        try Self.replace(cli, "notebooks-md/nb.md", "```output\nresults/nb/run\n", "```output\nresults/nb/rum\n")
        let block = try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(block.exitCode == 1, "\(block)")
        #expect(block.stdout.contains("--- a/notebooks-md/nb.md\n+++ b/notebooks-md/nb.md\n"), "\(block.stdout)")
        #expect(block.stdout.contains("\n-results/nb/rum\n+results/nb/run\n"), "\(block.stdout)")
        #expect(block.stdout.contains("NOT reproduced (1 difference(s), 0 failed command(s))"))
        try cli.write("notebooks-md/nb.md", written)

        // One character in a referenced CSV (the first data row's replicate column: 0 → 9).
        let lines = replicates.components(separatedBy: "\r\n")
        let row = lines[1]
        let changedRow = row.replacingOccurrences(of: ",0,", with: ",9,")
        #expect(changedRow != row)
        try Self.replace(cli, "results/nb/run/replicates.csv", row, changedRow)
        let csv = try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(csv.exitCode == 1, "\(csv)")
        #expect(csv.stdout.contains("--- a/results/nb/run/replicates.csv"), "\(csv.stdout)")
        #expect(csv.stdout.contains("\n-\(changedRow)\n+\(row)\n"), "\(csv.stdout)")

        // A file the re-run does not write.
        try cli.write("results/nb/run/replicates.csv", replicates)
        try cli.write("results/nb/run/stray.txt", "x")
        let stray = try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(stray.exitCode == 1)
        #expect(stray.stdout.contains("results/nb/run/stray.txt: in the repository, not written by the re-run"))
    }

    /// A command that fails: run records its stderr and exit status in the output block and exits 1; check fails
    /// even though the recorded output is reproduced.
    @Test func failingCommandIsRecordedAndFailsCheck() throws {
        let cli = try Self.repository("```lab\nonboarding-lab validate scenarios/missing.yaml\n```\n")
        defer { cli.remove() }
        let run = try cli.run("notebook", "run", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("notebooks-md/nb.md:2: exit status 2"), "\(run.stderr)")
        let written = try Self.text(cli, "notebooks-md/nb.md")
        #expect(written.hasPrefix("```lab\nonboarding-lab validate scenarios/missing.yaml\n```\n```output\n"))
        #expect(written.contains("--- standard error of line 2\n"), "\(written)")
        #expect(written.contains("scenarios/missing.yaml"), "the error names the file")
        #expect(written.hasSuffix("--- exit status 2\n```\n"), "\(written)")
        let check = try cli.run("notebook", "check", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(check.exitCode == 1, "\(check)")
        #expect(check.stdout.contains("notebooks-md/nb.md:2: exit status 2"), "\(check.stdout)")
    }

    /// A refused line: exit 2, file:line on stderr, and nothing ran (not even the valid command before it).
    @Test func refusedLineRunsNothing() throws {
        let text = """
            ```lab
            onboarding-lab run scenarios/aa.yaml --replicates 2 --horizon 8 --out results/nb/run
            ```
            text
            ```lab
            onboarding-lab truth scenarios/aa.yaml | sh
            ```

            """
        for subcommand in ["run", "check"] {
            let cli = try Self.repository(text)
            defer { cli.remove() }
            let result = try cli.run("notebook", subcommand, "notebooks-md/nb.md", "--root", cli.folder.path)
            #expect(result.exitCode == 2, "\(result)")
            #expect(result.stderr.contains("error: notebooks-md/nb.md:6: '|' is shell syntax"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.path("results")))
            #expect(try Self.text(cli, "notebooks-md/nb.md") == text, "the notebook is not touched")
        }
        let cli = try Self.repository("```lab\nrm -rf /\n```\n")
        defer { cli.remove() }
        let result = try cli.run("notebook", "run", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("notebooks-md/nb.md:2: only `onboarding-lab …` commands"), "\(result.stderr)")
    }

    /// `notebook run` deletes a command's --out folder first, so a stale file cannot survive a re-run.
    @Test func runStartsResultFoldersFromNothing() throws {
        let cli = try Self.repository()
        defer { cli.remove() }
        try FileManager.default.createDirectory(atPath: cli.path("results/nb/run"), withIntermediateDirectories: true)
        try cli.write("results/nb/run/stale.csv", "old")
        let run = try cli.run("notebook", "run", "notebooks-md/nb.md", "--root", cli.folder.path)
        #expect(run.exitCode == 0, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("results/nb/run/stale.csv")))
        #expect(FileManager.default.fileExists(atPath: cli.path("results/nb/run/report.md")))
    }
}
