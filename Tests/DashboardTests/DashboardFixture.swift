import Dashboard
import Foundation
import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Stochastics

/// An engine database on disk with a scripted history (three personas, champions elected, failed jobs), in a
/// temporary folder the test removes.
struct DashboardFixture {
    let folder: URL
    let database: String
    /// The engine minute admin actions run at: the night after the history.
    let now: Minute
    static let token = "test-admin-token-0123456789"
    static let days = 35

    init(days: Int = DashboardFixture.days, usersPerDay: Int = 40) throws {
        folder = try CLIRunner.makeTemporaryDirectory(prefix: "dashboard-test")
        database = folder.appendingPathComponent("engine.sqlite").path
        let store = try SQLiteStore(path: database, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 5))
        _ = try ScriptedHistory(days: days, usersPerDay: usersPerDay).run(engine, store: store)
        try store.close()
        now = (days + 1) * Clock.minutesPerDay + 30
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The server over the fixture's database; admin actions need ``token`` unless `token` is nil.
    func server(token: String? = DashboardFixture.token, results: String? = nil, csrf: String = "csrf-fixed-for-tests")
        throws -> DashboardServer
    {
        let now = self.now
        return DashboardServer(
            gateway: EngineGateway(path: database, now: { now }), admin: AdminGuard(adminToken: token, csrfToken: csrf),
            results: try results.map { try ResultsLibrary(directory: $0) })
    }

    /// The database as the engine reads it, for comparison with what the dashboard shows.
    func read<T>(_ body: (V4Engine, SQLiteStore) throws -> T) throws -> T {
        let store = try SQLiteStore(path: database, mode: .readOnly)
        defer { try? store.close() }
        return try body(try V4Engine(store: store, random: RandomStream(seed: 0)), store)
    }
}

/// Parses JSON text into Foundation objects.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
