import Foundation
import LabTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `check` through the built binary: the sequential verdicts, exit codes and the JUnit file.
@Suite("check command")
struct CheckCommandTests {
    /// A two-flow persona whose candidate is much better: by day 20 the champion is the true best in every
    /// replicate; on day 1 no election has happened yet, so the v3 default (the worse flow) is still champion.
    static func scenario(checks: String) -> String {
        """
        name: quick-check
        seed: 12
        horizon_days: 30
        replicates: 10
        traffic: {signups_per_day: 200, arrivals: constant}
        personas:
          - id: p
            activation_event: win
            v3_default: [{flow: bad, variant: b}]
            flows:
              - {id: good, steps: [g1], candidate: true, truth: {activation_7d: 0.7, retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
              - {id: bad, steps: [b1], truth: {activation_7d: 0.3, retention_30d: 0, time_to_first_win: {distribution: fixed, median_minutes: 1}}}
        engine: {policy: epsilon-greedy, weights: {activation_7d: 1, retention_30d: 0, speed: 0}}
        \(checks)
        """
    }

    static let passing = "checks:\n  - {persona: p, champion_is_true_best_by_day: 20, min_probability: 0.8}"

    static func element(_ node: XMLNode) throws -> XMLElement { try #require(node as? XMLElement) }

    /// One passing and one failing check: exit 1, each decided at its first decisive look (40 and 20 replicates
    /// with batches of 20), and a JUnit file that a real XML parser reads back with the same numbers.
    @Test func sequentialVerdictsAndJUnit() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write(
            "quick.yaml",
            Self.scenario(
                checks: Self.passing + "\n  - {persona: p, champion_is_true_best_by_day: 1, min_probability: 0.5}"))
        let r = try cli.run("check", file, "--quiet", "--junit", cli.path("ci/junit.xml"))
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stdout.contains("Clopper–Pearson") && r.stdout.contains("Bonferroni"), "\(r.stdout)")
        #expect(r.stdout.contains("FAIL p day 1: upper bound"), "\(r.stdout)")
        #expect(r.stdout.contains("1 of 2 check(s) failed"))
        let document = try XMLDocument(data: try cli.bytes("ci/junit.xml"))
        let suite = try Self.element(try #require(try document.nodes(forXPath: "/testsuites/testsuite").first))
        #expect(suite.attribute(forName: "tests")?.stringValue == "2")
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        #expect(suite.attribute(forName: "name")?.stringValue == "quick-check")
        let cases = try document.nodes(forXPath: "//testcase").map(Self.element)
        #expect(cases.count == 2)
        func property(_ testcase: XMLElement, _ name: String) throws -> String? {
            let node = try testcase.nodes(forXPath: "properties/property[@name='\(name)']").first
            return try node.map(Self.element)?.attribute(forName: "value")?.stringValue
        }
        #expect(try property(cases[0], "decision") == "pass")
        #expect(try property(cases[0], "replicates") == "40")
        #expect(try property(cases[0], "correct") == "40")
        #expect(try cases[0].elements(forName: "failure").isEmpty)
        #expect(try property(cases[1], "decision") == "fail")
        #expect(try property(cases[1], "replicates") == "20")
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "type")?.stringValue == "fail")
        #expect(failure.attribute(forName: "message")?.stringValue?.contains("upper bound") == true)
        // The same verdicts and bytes whatever the thread count.
        let again = try cli.run(
            "check", file, "--quiet", "--threads", "1", "--junit", cli.path("again.xml"))
        #expect(again.stdout == r.stdout)
        #expect(try cli.bytes("again.xml") == cli.bytes("ci/junit.xml"))
    }

    @Test func passingCheckExitsZero() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("pass.yaml", Self.scenario(checks: Self.passing))
        let r = try cli.run("check", file, "--quiet", "--out", cli.path("check"))
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout.contains("all 1 check(s) passed"))
        // The check decided after 40 replicates of days 0…20: exactly replicates 0…39 of a plain run.
        let run = try cli.run(
            "run", file, "--quiet", "--replicates", "40", "--horizon", "21", "--out", cli.path("run"))
        #expect(run.exitCode == 0, "\(run)")
        for name in ["daily.csv", "replicates.csv"] {
            #expect(try cli.bytes("check/\(name)") == cli.bytes("run/\(name)"), "\(name) differs")
        }
    }

    /// 0.99 cannot be shown with at most 40 replicates (all correct: lower bound 0.0125^(1/40) = 0.896): reported
    /// before running, exit 1.
    @Test func impossibleCheckIsReported() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write(
            "hard.yaml",
            Self.scenario(checks: "checks:\n  - {persona: p, champion_is_true_best_by_day: 20, min_probability: 0.99}"))
        let r = try cli.run("check", file, "--quiet", "--max-replicates", "40", "--batch", "20")
        #expect(r.exitCode == 1, "\(r)")
        #expect(
            r.stdout.contains(
                "cannot pass at --max-replicates: even all replicates correct give a lower bound of 0.8962"),
            "\(r.stdout)")
    }

    @Test func invalidInput() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let none = try cli.run("check", try cli.write("none.yaml", Self.scenario(checks: "")), "--quiet")
        #expect(none.exitCode == 2, "\(none)")
        #expect(none.stderr.contains("no `checks:`"), "\(none.stderr)")
        let file = try cli.write("pass.yaml", Self.scenario(checks: Self.passing))
        for bad in [
            ["--replicates", "30"], ["--batch", "0"], ["--max-replicates", "0"],
            ["--batch", "50", "--max-replicates", "40"],
            ["--max-replicates", "100001"],
        ] {
            let r = try cli.run(["check", file, "--quiet"] + bad)
            #expect(r.exitCode == 64, "\(bad): \(r)")
        }
    }
}
