import Foundation
import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard in a real headless browser (Debian's `chromium`, installed by `scripts/setup.sh --browser`,
/// which `scripts/test.sh` passes): the built `onboarding-lab-serve` on 127.0.0.1 and a free port, the page
/// rendered and its DOM read back, admin actions over HTTP, and the server stopped by SIGTERM.
///
/// Without chromium the test fails with the reason; `LAB_SKIP_BROWSER=1` skips it on purpose.
@Suite("dashboard in a browser", .serialized)
struct BrowserTests {
    static let skip = ProcessInfo.processInfo.environment["LAB_SKIP_BROWSER"] == "1"

    /// The running `onboarding-lab-serve` process and the URL it printed.
    final class Server {
        let process = Process()
        let output: URL
        var url = ""

        init(arguments: [String], folder: URL) throws {
            output = folder.appendingPathComponent("serve.out")
            guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
            }
            process.executableURL = try CLIRunner.executable(named: "onboarding-lab-serve")
            process.arguments = arguments
            process.currentDirectoryURL = folder
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait (at most 60 s) for the line that names the bound port.
            for _ in 0..<600 {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if let line = text.split(separator: "\n").first(where: { $0.contains("http://") }),
                    let start = line.range(of: "http://"), let end = line[start.lowerBound...].firstIndex(of: " ")
                {
                    url = String(line[start.lowerBound..<end])
                    return
                }
                if !process.isRunning { break }
                usleep(100_000)
            }
            process.terminate()
            throw CLIRunner.Failure.executableNotFound(
                name: "a listening onboarding-lab-serve",
                searched: ["its output: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")"])
        }

        /// SIGTERM, then the exit status (the server stops gracefully: 0).
        func stop() -> Int32 {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// `chromium --headless` with a throw-away profile; `--no-sandbox` because CI runs as root.
    static func chromium(_ arguments: [String], folder: URL) throws -> CLIResult {
        guard let browser = CLIRunner.systemTool(named: "chromium") ?? CLIRunner.systemTool(named: "chromium-browser")
        else {
            Issue.record("chromium is not installed: run scripts/setup.sh --browser (or LAB_SKIP_BROWSER=1 to skip)")
            throw CancellationError()
        }
        let profile = folder.appendingPathComponent("chromium-profile-\(UUID().uuidString)").path
        return try CLIRunner.run(
            browser,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--user-data-dir=\(profile)",
            ] + arguments)
    }

    static func post(_ url: String, body: String, headers: [String: String] = [:]) async throws -> Int {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? -1
    }

    /// The performance rows of a dumped DOM: persona → (champion flow id, its sample).
    static func champions(inDOM dom: String) throws -> [String: (flow: String, sample: Int)] {
        let pattern = try NSRegularExpression(
            pattern: "<tr class=\"pattern champion\" data-persona=\"([^\"]+)\" data-flow=\"([^\"]+)\" "
                + "data-sample=\"([0-9]+)\" data-champion=\"true\">")
        var found: [String: (flow: String, sample: Int)] = [:]
        let range = NSRange(dom.startIndex..., in: dom)
        for match in pattern.matches(in: dom, range: range) {
            func group(_ i: Int) -> String { Range(match.range(at: i), in: dom).map { String(dom[$0]) } ?? "" }
            found[group(1)] = (group(2).replacingOccurrences(of: "&gt;", with: ">"), Int(group(3)) ?? -1)
        }
        return found
    }

    @Test(.enabled(if: !skip, "LAB_SKIP_BROWSER=1")) func dashboardRendersTheDatabaseAndAdminActionsWork() async throws
    {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let tokenFile = fixture.folder.appendingPathComponent("admin.token")
        try (DashboardFixture.token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
        let server = try Server(
            arguments: [fixture.database, "--port", "0", "--admin-token-file", tokenFile.path], folder: fixture.folder)
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        #expect(server.url.hasPrefix("http://127.0.0.1:"), "bound to loopback: \(server.url)")

        // The rendered page: each persona's champion and its sample, as the database has them.
        let expected = try fixture.read { engine, _ in try engine.getAllFlowPatterns().filter(\.isChampion) }
        try #require(expected.count >= 2)
        let screenshot = fixture.folder.appendingPathComponent("dashboard.png")
        let shot = try Self.chromium(
            ["--screenshot=\(screenshot.path)", "--window-size=1400,3000", server.url], folder: fixture.folder)
        let png = try Data(contentsOf: screenshot)
        #expect(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "a PNG screenshot: \(shot)")
        let dom = try Self.chromium(["--dump-dom", server.url], folder: fixture.folder)
        try #require(dom.exitCode == 0, "\(dom)")
        let shown = try Self.champions(inDOM: dom.stdout)
        #expect(shown.count == expected.count, "\(shown.keys.sorted())")
        for c in expected {
            #expect(shown[c.persona]?.flow == c.flowId, "\(c.persona)")
            #expect(shown[c.persona]?.sample == c.sampleSize, "\(c.persona)")
        }
        #expect(dom.stdout.contains("<output id=\"epsilon-value\" for=\"epsilon\">0.20</output>"))
        let csrfPattern = try NSRegularExpression(pattern: "name=\"csrf_token\" value=\"([0-9a-f]{64})\"")
        let match = try #require(
            csrfPattern.firstMatch(in: dom.stdout, range: NSRange(dom.stdout.startIndex..., in: dom.stdout)))
        let csrf = String(dom.stdout[try #require(Range(match.range(at: 1), in: dom.stdout))])

        // ε without the token: refused, database unchanged.
        let before = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents().count) }
        #expect(try await Self.post(server.url + "admin/epsilon", body: "csrf_token=\(csrf)&epsilon=0.25") == 401)
        #expect(
            try await Self.post(
                server.url + "admin/epsilon", body: "epsilon=0.25&admin_token=\(DashboardFixture.token)") == 403)
        let unchanged = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents().count) }
        #expect(unchanged.0 == before.0 && unchanged.1 == before.1)

        // With the token: clamped to the law, recorded, and shown on the page.
        let status = try await Self.post(
            server.url + "admin/epsilon", body: "csrf_token=\(csrf)&admin_token=\(DashboardFixture.token)&epsilon=0.75")
        #expect(status == 200)
        let after = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents()) }
        #expect(after.0.epsilon == after.0.laws.maxEpsilon)
        #expect(
            after.1.suffix(2).map(\.eventType) == ["onboarding_exploration_rate_changed", "governance_epsilon_clamped"])

        // Run now: one more job row.
        let jobs = try fixture.read { _, store in try store.jobs().count }
        #expect(
            try await Self.post(
                server.url + "admin/run-nightly", body: "",
                headers: ["Authorization": "Bearer \(DashboardFixture.token)"])
                == 200)
        let newJobs = try fixture.read { _, store in try store.jobs() }
        #expect(newJobs.count == jobs + 1)

        let reloaded = try Self.chromium(["--dump-dom", server.url], folder: fixture.folder)
        #expect(reloaded.stdout.contains("<b id=\"epsilon-configured\">0.300</b>"), "the page shows the new ε")
        #expect(reloaded.stdout.contains("data-event=\"onboarding_exploration_rate_changed\""))
        #expect(reloaded.stdout.contains("data-job=\"\(newJobs.last?.id ?? "?")\""), "the new job is listed")

        stopped = true
        #expect(server.stop() == 0, "SIGTERM stops the server gracefully")
    }
}
