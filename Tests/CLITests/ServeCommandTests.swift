import Foundation
import LabTestSupport
import Testing

/// `onboarding-lab serve`: runs the separate `onboarding-lab-serve` with the same arguments; its help and its
/// refusals before it listens (no server is started here: `DashboardTests` does that).
@Suite("serve command")
struct ServeCommandTests {
    @Test func helpIsTheDashboards() throws {
        let r = try CLIRunner.run(["serve", "--help"])
        #expect(r.exitCode == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let text = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(
            text.hasPrefix("OVERVIEW: Serve the web dashboard of an engine database (and the lab's results folders)."))
        #expect(
            lines.contains(
                "USAGE: onboarding-lab serve <db> [--host <host>] [--port <port>] [--admin-token-file <file>] [--results <dir>] [--nightly-at <HH:MM>]"
            ))
        #expect(text.contains("/api/patterns, /api/trend?days=N"))
        #expect(text.contains("3 database refused"))
    }

    @Test func refusalsBeforeListening() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let missing = try lab.run("serve", "none.sqlite", "--port", "0")
        #expect(missing.exitCode == 3, "\(missing)")
        #expect(missing.stderr.contains("none.sqlite"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: lab.path("none.sqlite")), "nothing is created")

        let port = try lab.run("serve", "none.sqlite", "--port", "65536")
        #expect(port.exitCode == 64 && port.stderr.contains("--port must be in 0…65535, found 65536"), "\(port)")

        let results = try lab.run("serve", "none.sqlite", "--results", "no-such-dir")
        #expect(
            results.exitCode == 64 && results.stderr.contains("--results no-such-dir: no such directory"), "\(results)")

        let token = try lab.write("admin.token", "short\n")
        let short = try lab.run("serve", "none.sqlite", "--admin-token-file", token)
        #expect(short.exitCode == 2 && short.stderr.contains("at least 16 characters"), "\(short)")

        let nightly = try lab.run("serve", "none.sqlite", "--nightly-at", "2:00")
        #expect(nightly.exitCode == 64 && nightly.stderr.contains("--nightly-at must be HH:MM"), "\(nightly)")

        let foreign = try lab.write("foreign.sqlite", "not a database, just text\n")
        let refused = try lab.run("serve", foreign, "--port", "0")
        #expect(refused.exitCode == 3, "\(refused)")
        #expect(try lab.bytes("foreign.sqlite") == Data("not a database, just text\n".utf8), "left untouched")
    }
}
