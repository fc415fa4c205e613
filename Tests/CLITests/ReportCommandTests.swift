import Foundation
import LabTestSupport
import Testing

/// `report DIR [--section NAME]…`: report.md on stdout, whole or by `## ` section.
@Suite("report command")
struct ReportCommandTests {
    @Test func sectionsOfAResultsFolder() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let run = try cli.run(
            "run", Repo.scenario("aa-identical-flows.yaml"), "--replicates", "2", "--horizon", "8", "--quiet",
            "--out", cli.path("r"))
        #expect(run.exitCode == 0, "\(run)")
        let whole = try cli.run("report", cli.path("r"))
        #expect(whole.exitCode == 0)
        #expect(whole.stdout == String(decoding: try cli.bytes("r/report.md"), as: UTF8.self))

        let some = try cli.run("report", cli.path("r"), "--section", "results per", "--section", "Recommendation")
        #expect(some.exitCode == 0, "\(some)")
        #expect(some.stdout.hasPrefix("## Recommendation\n"), "in the report's order, not the options'")
        let headings = some.stdout.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings == ["## Recommendation", "## Results per persona"], "\(headings)")
        #expect(some.stdout.contains("### everyone\n"), "subsections come along")
        #expect(whole.stdout.contains(some.stdout.components(separatedBy: "## Results per persona")[1]))

        let missing = try cli.run("report", cli.path("r"), "--section", "Nope")
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("no section starts with 'Nope'; sections: Recommendation"), "\(missing.stderr)")
        let notAFolder = try cli.run("report", cli.path("nothing"))
        #expect(notAFolder.exitCode == 2)
        #expect(notAFolder.stderr.contains("nothing/report.md: no such file"))
    }
}
