import Foundation
import LabTestSupport
import Testing

/// Feasibility warnings through the binary: on stderr as `warning: …`, exit code unchanged, listed in
/// summary.json (`warnings`) and report.md (`## Warnings`).
@Suite("Feasibility warnings in the commands")
struct FeasibilityWarningCommandTests {
    static let scenario = """
        name: infeasible
        horizon_days: 20
        replicates: 2
        traffic: {signups_per_day: 40}
        personas:
          - id: p
            activation_event: win
            v3_default: [{flow: A, variant: a}]
            flows:
              - {id: A, steps: [a, win], truth: {activation_7d: 0.3, retention_30d: 0.2}}
              - {id: B, steps: [b, win], candidate: true, truth: {activation_7d: 0.5, retention_30d: 0.2}}
              - {id: X, steps: [x, win], truth: {activation_7d: 0.9, retention_30d: 0.2}}
        engine: {min_champion_sample: 200}
        """

    @Test func validateAndRunWarnWithoutFailing() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let file = try cli.write("infeasible.yaml", Self.scenario)
        let validate = try cli.run("validate", file)
        #expect(validate.exitCode == 0, "\(validate)")
        #expect(validate.stdout == "\(file): ok\n")
        let lines = validate.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(validate.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("warning: \(file): ") })
        #expect(lines.contains { $0.contains("personas[0].flows[2]: flow X of p is neither") })
        // 40 signups/day × 20 days (the horizon is shorter than the window) × ε 0.2 shared by 1 other flow.
        #expect(
            lines.contains {
                $0.contains("engine.min_champion_sample: candidate B of p can collect ≈ 160 users in the 20-day window")
            })

        let run = try cli.run("run", file, "--out", cli.path("out"), "--quiet", "--store", "memory")
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.count == 2)
        let summary = try #require(
            try parseJSON(String(decoding: try cli.bytes("out/summary.json"), as: UTF8.self)) as? [String: Any])
        let warnings = try #require(summary["warnings"] as? [[String: Any]])
        #expect(warnings.count == 2)
        #expect(warnings.first?["path"] as? String == "personas[0].flows[2]")
        #expect(warnings.first?["persona"] as? String == "p")
        let report = String(decoding: try cli.bytes("out/report.md"), as: UTF8.self)
        #expect(report.contains("## Warnings\n"))
        #expect(report.contains("- `personas[0].flows[2]`: flow X of p is neither"))
    }
}
