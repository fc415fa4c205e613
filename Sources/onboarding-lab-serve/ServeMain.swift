import ArgumentParser
import Dashboard
import Foundation
import Hummingbird
import OnboardingPersistence

/// `onboarding-lab-serve DB …` (also run as `onboarding-lab serve DB …`): the web dashboard of an engine
/// database and, beside it, the lab's results folders (SPEC §5.3; README "The dashboard").
@main
struct ServeMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboarding-lab serve",
        abstract: "Serve the web dashboard of an engine database (and the lab's results folders).",
        discussion: """
            Pages: / (champion vs challengers, the persona × flow performance table with Wilson 95% intervals, \
            the activation trend chart, flow patterns marked against the champion, the exploration-rate slider \
            and "Run learning job now", learning jobs, orchestrator events); /results (the results folders' \
            index) and /results/<folder>/report.html. JSON: /api/patterns, /api/trend?days=N (1–3650, default \
            90), /api/jobs, /api/events. Admin actions (POST /admin/epsilon, POST /admin/run-nightly) need the \
            token of --admin-token-file, as `Authorization: Bearer TOKEN`, an X-Admin-Token header, or the form \
            field admin_token with the page's CSRF token; without --admin-token-file they are refused (403). \
            The server reads the database afresh on every request and writes only through the admin actions; \
            results folders are read-only and paths outside --results are refused. It prints its URL on stdout \
            once listening and stops on SIGINT or SIGTERM.

            Exit codes: 0 stopped by a signal; 2 unreadable or invalid admin token file; 3 database refused \
            (missing, not an engine database, schema newer than this binary); 5 the server could not start \
            (e.g. the port is in use); 64 invalid usage.
            """)

    @Argument(help: ArgumentHelp("The engine database (SQLite).", valueName: "db"))
    var database: String

    @Option(help: "The address to bind: loopback unless you mean to expose the dashboard (it has no TLS).")
    var host: String = "127.0.0.1"

    @Option(help: "The TCP port, 0–65535 (0: a free port, printed at start).")
    var port: Int = 8080

    @Option(
        name: .customLong("admin-token-file"),
        help: ArgumentHelp(
            "A file holding the admin token (at least \(AdminGuard.minimumTokenLength) characters, one word).",
            valueName: "file"))
    var adminTokenFile: String?

    @Option(
        help: ArgumentHelp(
            "The lab's results directory to index and render (default: results/ when it exists).", valueName: "dir"))
    var results: String?

    @Option(
        name: .customLong("nightly-at"),
        help: ArgumentHelp(
            "Run the nightly learning job every day at this UTC time (HH:MM), as `engine schedule` does: a missed "
                + "night caught up once, failures retried with backoff (3 retries from 60 s), under the job lease.",
            valueName: "HH:MM"))
    var nightlyAt: String?

    func validate() throws {
        if let nightlyAt, TimeOfDay(nightlyAt) == nil {
            throw ValidationError("--nightly-at must be HH:MM (00:00–23:59, UTC), found '\(nightlyAt)'")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535, found \(port)") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        if let results {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: results, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw ValidationError("--results \(results): no such directory") }
        }
    }

    func run() async throws {
        let token: String?
        if let adminTokenFile {
            do {
                let text = try String(contentsOfFile: adminTokenFile, encoding: .utf8)
                token = try AdminGuard.token(fromFileContents: text, path: adminTokenFile)
            } catch let error as DashboardError {
                Self.error(error.message)
                throw ExitCode(2)
            } catch {
                Self.error("\(adminTokenFile): cannot read the admin token file: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        } else {
            token = nil
        }
        let gateway = EngineGateway(path: database, now: { Int(Date().timeIntervalSince1970 / 60) })
        do {
            try await gateway.verify()
        } catch let error as PersistenceError {
            Self.error("\(error)")
            throw ExitCode(3)
        }
        let resultsDirectory = results ?? (FileManager.default.fileExists(atPath: "results") ? "results" : nil)
        let library = try resultsDirectory.map { try ResultsLibrary(directory: $0) }
        let server = DashboardServer(gateway: gateway, admin: AdminGuard(adminToken: token), results: library)
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            Self.warn(
                "listening on \(host), not loopback: anyone who reaches it sees the dashboard, and the "
                    + "admin token crosses the network unencrypted")
        }
        let host = self.host
        let app = server.application(host: host, port: port) { bound in
            let shown = host.contains(":") ? "[\(host)]" : host
            var line = "onboarding-lab-serve: http://\(shown):\(bound)/ (database \(gateway.path); "
            line += library.map { "results \($0.root); " } ?? ""
            line += token == nil ? "admin actions disabled)" : "admin actions enabled)"
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        if let nightlyAt, let timeOfDay = TimeOfDay(nightlyAt) {
            Self.startScheduler(database: database, at: timeOfDay)
        }
        do {
            try await app.runService()
        } catch {
            Self.error("the server stopped: \(error)")
            throw ExitCode(5)
        }
    }

    /// The scheduler of `engine schedule` (``NightlyScheduler``) on its own thread for the server's lifetime;
    /// its log and failures go to stderr, and every attempt is a job row the dashboard shows.
    static func startScheduler(database: String, at timeOfDay: TimeOfDay) {
        let thread = Thread {
            let scheduler = NightlyScheduler(
                configuration: NightlyScheduler.Configuration(timeOfDay: timeOfDay), now: { Date() },
                sleep: { Thread.sleep(forTimeInterval: $0) },
                attempt: NightlyScheduler.sqliteAttempt(
                    path: database, owner: .current(), leaseDuration: SQLiteStore.defaultLeaseDuration),
                onFailure: { jobId, message, _ in
                    error("scheduled learning job \(jobId ?? "(none)") failed: \(message)")
                }, log: { FileHandle.standardError.write(Data(("schedule: " + $0 + "\n").utf8)) })
            do {
                _ = try scheduler.run()
            } catch {
                Self.error("the scheduler stopped: \(error)")
            }
        }
        thread.name = "nightly-scheduler"
        thread.start()
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }
}
