import Foundation
import Notebooks
import Testing

/// What `notebook check` compares in a result folder: every file byte for byte, the manifest's command only, no
/// engine database.
@Suite("result comparison")
struct ResultComparisonTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("result-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
        return url
    }

    static let manifest = #"{"command": ["/a/onboarding-lab", "run", "s.yaml"], "started_at": "2026-01-01T00:00:00Z"}"#

    @Test func manifestTimesAndDatabasesAreIgnoredCSVIsNot() throws {
        let committed = try Self.folder([
            "manifest.json": Self.manifest, "replicates.csv": "a,b\r\n1,2\r\n", "engine.sqlite": "one",
            "charts/x.svg": "<svg/>",
        ])
        let later = Self.manifest.replacingOccurrences(of: "2026-01-01", with: "2027-05-05")
            .replacingOccurrences(of: "/a/onboarding-lab", with: "/elsewhere/onboarding-lab")
            .replacingOccurrences(of: "}", with: #", "complete": true, "sha256": {"x": "y"}}"#)
        let fresh = try Self.folder([
            "manifest.json": later, "replicates.csv": "a,b\r\n1,2\r\n", "engine.sqlite": "two",
            "charts/x.svg": "<svg/>",
        ])
        defer {
            try? FileManager.default.removeItem(at: committed)
            try? FileManager.default.removeItem(at: fresh)
        }
        #expect(try ResultComparison.differences(committed: committed, fresh: fresh, label: "r").isEmpty)

        try Data("a,b\r\n1,3\r\n".utf8).write(to: fresh.appendingPathComponent("replicates.csv"))
        try Data(Self.manifest.replacingOccurrences(of: "s.yaml", with: "t.yaml").utf8)
            .write(to: fresh.appendingPathComponent("manifest.json"))
        try FileManager.default.removeItem(at: fresh.appendingPathComponent("charts/x.svg"))
        let differences = try ResultComparison.differences(committed: committed, fresh: fresh, label: "r")
        #expect(differences.count == 3, "\(differences)")
        #expect(differences.contains { $0.contains("r/charts/x.svg: in the repository, not written by the re-run") })
        #expect(differences.contains { $0.contains("-run s.yaml\n+run t.yaml\n") }, "\(differences)")
        #expect(differences.contains { $0.contains("--- a/r/replicates.csv") && $0.contains("-1,2\n+1,3\n") })
    }
}
