import Foundation
import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Stochastics
import Testing

/// `serve --nightly-at`: the dashboard process runs `engine schedule`'s scheduler beside the server.
@Suite("serve --nightly-at")
struct ServeSchedulerTests {
    /// On a database that never ran a nightly job, the scheduler catches the missed night up at once — one job,
    /// not one per missed day — and the job is an ordinary completed row (what the dashboard lists).
    @Test func theServerRunsTheMissedNightOnce() throws {
        let folder = try CLIRunner.makeTemporaryDirectory(prefix: "serve-nightly")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("prod.sqlite").path
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        let now = Int(Date().timeIntervalSince1970 / 60)
        for i in 0..<5 { try engine.initForUser(userId: "u\(i)", persona: "p", at: now - 3 * 1440 + i) }
        try store.close()

        let server = try BrowserTests.Server(arguments: [path, "--port", "0", "--nightly-at", "00:00"], folder: folder)
        defer { _ = server.stop() }
        var jobs: [LearningJob] = []
        for _ in 0..<300 where jobs.isEmpty {  // at most 30 s
            usleep(100_000)
            jobs = try SQLiteStore(path: path, mode: .readOnly).jobs().filter { $0.status != .running }
        }
        try #require(jobs.count == 1, "the catch-up night ran: \(jobs)")
        #expect(jobs[0].status == .completed, "\(jobs[0])")
        usleep(1_000_000)
        #expect(try SQLiteStore(path: path, mode: .readOnly).jobs().count == 1, "one catch-up job, not one per day")
    }
}
