import Dashboard
import Foundation
import Hummingbird
import LabTestSupport
import NIOCore
import Testing

/// `--results DIR`: the index of results folders, each report.md as HTML with its charts, and the refusal of
/// every path outside DIR.
@Suite("dashboard results")
struct ResultsRouteTests {
    /// A results directory holding one real `run` folder (written by the built CLI) and a hand-made one.
    struct Library {
        let folder: URL
        var results: URL { folder.appendingPathComponent("results") }
        let runFolder = "seed-narrative/run-1"

        init() throws {
            folder = try CLIRunner.makeTemporaryDirectory(prefix: "dashboard-results")
            let out = folder.appendingPathComponent("results/\(runFolder)").path
            let run = try CLIRunner.run([
                "run", Repo.scenario("seed-narrative.yaml"), "--replicates", "3", "--horizon", "91", "--scale", "0.2",
                "--out", out, "--quiet",
            ])
            try #require(run.exitCode == 0, "\(run)")
            // Outside the results directory: a secret, reachable only through symbolic links.
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try "secret,1\r\n".write(
                to: outside.appendingPathComponent("secret.csv"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(
                atPath: out + "/secret.csv", withDestinationPath: outside.appendingPathComponent("secret.csv").path)
            try FileManager.default.createSymbolicLink(
                atPath: results.appendingPathComponent("escape").path, withDestinationPath: outside.path)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func indexAndReportOfARealRunAndNoWayOut() async throws {
        let library = try Library()
        defer { library.remove() }
        let fixture = try DashboardFixture(days: 3, usersPerDay: 5)
        defer { fixture.remove() }
        let summaryURL = library.results.appendingPathComponent("\(library.runFolder)/summary.json")
        let summary = try #require(try parseJSON(String(contentsOf: summaryURL, encoding: .utf8)) as? [String: Any])
        let configs = try #require(summary["configs"] as? [String: Any])
        let regret = try #require(
            ((((configs.values.first as? [String: Any])?["personas"] as? [String: Any])?["ALL"] as? [String: Any])?[
                "metrics"] as? [String: Any])?["cumulative_regret"] as? [String: Any])
        let mean = try #require(regret["mean"] as? Double)
        // The PNG and PDF copies `--figures png,pdf` writes beside the SVG charts.
        let charts = library.results.appendingPathComponent("\(library.runFolder)/charts")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: charts.appendingPathComponent("cumulative-regret.png"))
        try Data("%PDF-1.5".utf8).write(to: charts.appendingPathComponent("cumulative-regret.pdf"))
        let before = try Self.listing(library.results)

        let app = RouterClient(router: try fixture.server(results: library.results.path).router())
        try await app.test { client in
            try await client.execute(uri: "/results", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("data-folder=\"\(library.runFolder)\""))
                #expect(html.contains("<td>seed-narrative</td>"))
                #expect(html.contains("cumulative_regret \(Self.fixed(mean))"), "headline from summary.json")
                #expect(html.contains("mlm_newbie day 90: <b>"), "the scenario's checks get a verdict")
                // 3 replicates cannot show P ≥ 0.95: the interval straddles the requirement or lies below it.
                #expect(!html.contains("mlm_newbie day 90: <b>PASS</b>"), "\(html)")
                #expect(html.contains("agency_owner day 60: <b>"))
                #expect(html.contains("href=\"/results/\(library.runFolder)/report.html\""))
                #expect(!html.contains("data-folder=\"escape"), "a link out of the directory is not followed")
            }
            try await client.execute(uri: "/results/\(library.runFolder)/report.html", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<h2>Recommendation</h2>") || html.contains("<h2>"), "Markdown became HTML")
                #expect(html.contains("<img src=\"charts/cumulative-regret.svg\""), "charts beside the report")
                #expect(html.contains("<table>"), "tables rendered")
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src") == false)
            }
            try await client.execute(uri: "/results/\(library.runFolder)/charts/cumulative-regret.svg", method: .get) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/svg+xml")
                #expect(String(buffer: response.body).contains("<svg"))
            }
            for (ext, type) in [("png", "image/png"), ("pdf", "application/pdf")] {
                try await client.execute(
                    uri: "/results/\(library.runFolder)/charts/cumulative-regret.\(ext)", method: .get
                ) { response in
                    #expect(response.status == .ok, "\(ext)")
                    #expect(response.headers[.contentType] == type)
                }
            }
            let refused: [(String, HTTPResponse.Status)] = [
                ("/results/\(library.runFolder)/secret.csv", .forbidden),  // a symbolic link out
                ("/results/escape/secret.csv", .forbidden),
                ("/results/%2e%2e/outside/secret.csv", .badRequest),
                ("/results/seed-narrative/%2E%2E/%2E%2E/outside/secret.csv", .badRequest),
                ("/results/seed-narrative/..%2F..%2Foutside/secret.csv", .badRequest),
                ("/results/\(library.runFolder)/engine.bin", .notFound),
                ("/results/\(library.runFolder)/manifest.json/x", .notFound),
                ("/results/nothing/report.html", .notFound),
            ]
            for (uri, status) in refused {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(!String(buffer: response.body).contains("secret,1"), "\(uri)")
                }
            }
            try await client.execute(uri: "/results/../outside/secret.csv", method: .get) { response in
                #expect(response.status != .ok)
                #expect(!String(buffer: response.body).contains("secret,1"))
            }
        }
        #expect(try Self.listing(library.results) == before, "the results directory is never written")
    }

    /// Every path under `url` with its size and modification time.
    static func listing(_ url: URL) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: url.path)
        var lines: [String] = []
        while let next = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path + "/" + next)
            lines.append("\(next) \(attributes[.size] ?? "") \(attributes[.modificationDate] ?? "")")
        }
        return lines.sorted()
    }

    static func fixed(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        var text = String(rounded)
        let decimals = text.split(separator: ".").last?.count ?? 0
        if decimals < 3 { text += String(repeating: "0", count: 3 - decimals) }
        return text
    }
}
