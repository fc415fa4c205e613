import Foundation
import GRDB
import LabTestSupport
import OnboardingEngine
import Stochastics
import Testing

@testable import OnboardingPersistence

/// The process-wide SQLite options the store sets before its first connection. Each case runs in a fresh process
/// (an exit test): in the suite's own process another test has long opened a connection.
@Suite("SQLite library")
struct SQLiteLibraryTests {
    /// Opened by the store first, SQLite keeps no memory statistics, through a day of engine writes.
    @Test func theStoreSwitchesMemoryStatisticsOff() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            SQLiteLibraryTests.check {
                let engine = try V4Engine(store: SQLiteStore(), random: RandomStream(seed: 1))
                try engine.addPersona("p", activationEvent: "done", defaults: [["a", "done"]])
                _ = try engine.assignUser(userId: "u1", persona: "p", at: 0)
                try engine.handleEvent(userId: "u1", eventType: "a", at: 5)
                try engine.handleEvent(userId: "u1", eventType: "done", at: 9)
                _ = try engine.runNightlyLearningJob(now: Clock.minutesPerDay)
                guard SQLiteLibrary.memoryStatisticsAreOff else { return "the option was refused" }
                guard SQLiteLibrary.memoryUsed == 0 else { return "\(SQLiteLibrary.memoryUsed) bytes counted" }
                return nil
            }
        }
        Self.report(result)
    }

    /// The same check fails when something else opened a connection first: the statistics then count.
    @Test func aConnectionOpenedBeforeKeepsThemOn() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            SQLiteLibraryTests.check {
                let other = try DatabaseQueue()
                try other.write { db in try db.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
                _ = try SQLiteStore()
                return withExtendedLifetime(other) {
                    guard !SQLiteLibrary.memoryStatisticsAreOff else { return "the option was taken late" }
                    guard SQLiteLibrary.memoryUsed > 0 else { return "no bytes counted" }
                    return nil
                }
            }
        }
        Self.report(result)
    }

    /// What marks the child's report on its standard error (where SQLite or the runtime may write too).
    static let marker = "SQLiteLibraryTests problem: "

    /// In the child process: writes what `body` returned or threw, if anything, after ``marker`` to standard error
    /// (and exits 0, so that the parent sees the message; a crash fails the exit test itself).
    static func check(_ body: () throws -> String?) {
        let problem: String?
        do { problem = try body() } catch { problem = "\(error)" }
        if let problem { FileHandle.standardError.write(Data((marker + problem + "\n").utf8)) }
    }

    /// Records what the child reported.
    static func report(_ result: ExitTest.Result?) {
        guard let result else { return }
        let output = String(decoding: result.standardErrorContent, as: UTF8.self)
        let problems = output.split(separator: "\n").filter { $0.hasPrefix(marker) }
        #expect(problems.isEmpty, "in the child process: \(problems.joined(separator: "; "))")
    }
}
