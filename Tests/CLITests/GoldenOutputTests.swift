import Foundation
import LabTestSupport
import Testing

/// Every curated scenario, at CI scale, against committed golden outputs (`Tests/Goldens/<scenario>/<variant>/`).
///
/// The guard for work on the hot path: a faster engine or a new storage format must reproduce these bytes (same
/// random streams, same order of draws). A golden that must change is a bug unless the change is a documented fix,
/// committed on its own with the regenerated files: `LAB_UPDATE_GOLDENS=1 swift test --filter GoldenOutputTests`
/// rewrites them from the current build.
@Suite("Golden outputs of the curated scenarios")
struct GoldenOutputTests {
    /// One way of running every scenario. `memory` exercises the sweep statistics (two replicates); `sqlite` the
    /// database store, kept to one replicate and 30 days so the suite stays fast (both stores give identical files
    /// for the same arguments, SPEC §1.9; the store contract suite checks that).
    struct Variant: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        var description: String { name }
    }

    static let variants = [
        Variant(
            name: "memory",
            arguments: ["--replicates", "2", "--horizon", "45", "--scale", "0.25", "--store", "memory"]),
        Variant(
            name: "sqlite",
            arguments: ["--replicates", "1", "--horizon", "30", "--scale", "0.25", "--store", "sqlite"]),
    ]

    /// The files a golden pins: the SPEC §4 tables and summary (report.md and charts are derived from them).
    static let pinnedFiles = ["daily.csv", "replicates.csv", "comparison.csv", "summary.json"]

    static let goldensRoot = Repo.root.appendingPathComponent("Tests/Goldens")

    static var updating: Bool { ProcessInfo.processInfo.environment["LAB_UPDATE_GOLDENS"] == "1" }

    /// The curated scenarios (every `scenarios/*.yaml`); fails loudly if there are none.
    static func curatedScenarios() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: Repo.root.appendingPathComponent("scenarios").path)
        let scenarios = names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        guard !scenarios.isEmpty else { throw GoldenError.noScenarios }
        return scenarios
    }

    enum GoldenError: Error { case noScenarios }

    @Test("each curated scenario reproduces its golden files", arguments: variants)
    func scenariosReproduceGoldens(variant: Variant) throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let scenarios = try Self.curatedScenarios()
        #expect(scenarios.count >= 8, "expected the curated scenarios, found \(scenarios)")
        for scenario in scenarios {
            let out = cli.path("\(scenario)-\(variant.name)")
            let result = try cli.run(
                ["sweep", Repo.scenario("\(scenario).yaml"), "--out", out, "--quiet"] + variant.arguments)
            try #require(result.exitCode == 0, "\(result)")
            let golden = Self.goldensRoot.appendingPathComponent(scenario).appendingPathComponent(variant.name)
            for file in Self.pinnedFiles {
                let produced = try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent(file))
                let goldenFile = golden.appendingPathComponent(file)
                if Self.updating {
                    try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
                    try produced.write(to: goldenFile)
                    continue
                }
                let expected = try Data(contentsOf: goldenFile)
                #expect(
                    produced == expected,
                    "\(scenario) (\(variant.name)): \(file) differs from \(goldenFile.path)\(Self.firstDifference(produced, expected))"
                )
            }
        }
    }

    /// No golden folder is left behind for a scenario that no longer exists (it would pin nothing).
    @Test func everyGoldenHasAScenario() throws {
        let scenarios = Set(try Self.curatedScenarios())
        let goldens = try FileManager.default.contentsOfDirectory(atPath: Self.goldensRoot.path)
            .filter { !$0.hasPrefix(".") }
        #expect(!goldens.isEmpty)
        #expect(Set(goldens) == scenarios, "goldens \(goldens.sorted()) vs scenarios \(scenarios.sorted())")
    }

    /// The first differing line, so a failure shows what moved.
    static func firstDifference(_ produced: Data, _ expected: Data) -> String {
        let a = String(decoding: produced, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let b = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end of file>"
            let right = index < b.count ? String(b[index]) : "<end of file>"
            if left != right { return "\nline \(index + 1):\n  now:    \(left)\n  golden: \(right)" }
        }
        return ""
    }
}
