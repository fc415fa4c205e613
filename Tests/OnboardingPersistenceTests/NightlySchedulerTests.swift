import Foundation
import GRDB
import LabTestSupport
import OnboardingEngine
import OnboardingPersistence
import Stochastics
import Testing

/// The scheduler with an injected clock and sleeper: days of schedule in microseconds, no real waiting.
@Suite("nightly scheduler")
struct NightlySchedulerTests {
    /// A clock that only moves when the scheduler sleeps (or the test says so).
    final class FakeClock {
        var now: Date
        var sleeps: [TimeInterval] = []
        init(_ iso: String) { now = Self.date(iso) }
        func sleep(_ seconds: TimeInterval) {
            sleeps.append(seconds)
            now = now.addingTimeInterval(seconds)
        }
        static func date(_ iso: String) -> Date {
            let formatter = ISO8601DateFormatter()
            return formatter.date(from: iso) ?? Date(timeIntervalSince1970: 0)
        }
    }

    static func configuration(retries: Int = 3) -> NightlyScheduler.Configuration {
        var c = NightlyScheduler.Configuration(timeOfDay: TimeOfDay("02:00") ?? TimeOfDay("00:00")!)
        c.retries = retries
        c.retryDelay = 60
        return c
    }

    /// An engine database with one persona and a few users assigned before `iso`.
    static func database(_ name: String, usersBefore iso: String) throws -> String {
        let path = try CLIRunner.makeTemporaryDirectory(prefix: "scheduler").appendingPathComponent(name).path
        let store = try SQLiteStore(path: path, mode: .createOrMigrate)
        let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
        try engine.addPersona("p", activationEvent: "win", defaults: [["a", "win"]])
        let start = Int(FakeClock.date(iso).timeIntervalSince1970 / 60) - 600
        for i in 0..<5 { try engine.initForUser(userId: "u\(i)", persona: "p", at: start + i) }
        try store.close()
        return path
    }

    @Test func slotsAreTheTimeOfDayInUTC() throws {
        let clock = FakeClock("2026-11-27T10:00:00Z")
        let s = NightlyScheduler(
            configuration: Self.configuration(), now: { clock.now }, sleep: clock.sleep,
            attempt: { _, _ in .completed(jobId: "x") }, onFailure: { _, _, _ in })
        #expect(s.latestSlot(atOrBefore: clock.now) == FakeClock.date("2026-11-27T02:00:00Z"))
        #expect(
            s.latestSlot(atOrBefore: FakeClock.date("2026-11-27T01:59:59Z")) == FakeClock.date("2026-11-26T02:00:00Z"))
        #expect(
            s.latestSlot(atOrBefore: FakeClock.date("2026-11-27T02:00:00Z")) == FakeClock.date("2026-11-27T02:00:00Z"))
        #expect(s.nextSlot(after: FakeClock.date("2026-11-27T02:00:00Z")) == FakeClock.date("2026-11-28T02:00:00Z"))
        #expect(TimeOfDay("24:00") == nil && TimeOfDay("2:00") == nil && TimeOfDay("02:60") == nil)
    }

    /// Started days after the last run, the scheduler runs one catch-up job (not one per missed day), then one job
    /// per following night at the time of day.
    @Test func catchesUpOnceThenRunsNightly() throws {
        let clock = FakeClock("2026-11-27T10:00:00Z")
        var attempts: [(slot: Date, at: Date)] = []
        let s = NightlyScheduler(
            configuration: Self.configuration(), now: { clock.now }, sleep: clock.sleep,
            attempt: { slot, now in
                attempts.append((slot, now))
                return .completed(jobId: "job\(attempts.count)")
            }, onFailure: { _, _, _ in Issue.record("no failure expected") })
        let nights = try s.run(nights: 3)
        #expect(nights.count == 3)
        #expect(
            attempts.map(\.slot)
                == ["2026-11-27T02:00:00Z", "2026-11-28T02:00:00Z", "2026-11-29T02:00:00Z"].map(FakeClock.date))
        #expect(
            attempts.map(\.at)
                == ["2026-11-27T10:00:00Z", "2026-11-28T02:00:00Z", "2026-11-29T02:00:00Z"].map(FakeClock.date))
        #expect(clock.sleeps == [16 * 3600, 24 * 3600])
    }

    /// On a real database: the catch-up job runs once; a second scheduler started the same day finds the night
    /// done and runs nothing (one job row).
    @Test func catchUpOnARealDatabaseRunsOneJob() throws {
        let path = try Self.database("catchup.sqlite", usersBefore: "2026-11-20T00:00:00Z")
        let clock = FakeClock("2026-11-27T10:00:00Z")
        func scheduler(_ token: String) -> NightlyScheduler {
            NightlyScheduler(
                configuration: Self.configuration(), now: { clock.now }, sleep: clock.sleep,
                attempt: NightlyScheduler.sqliteAttempt(
                    path: path, owner: .current(token: token), leaseDuration: 600),
                onFailure: { _, message, _ in Issue.record("unexpected failure: \(message)") })
        }
        let first = try scheduler("a").run(nights: 1)
        guard case .completed(let id, 1) = first.first else {
            Issue.record("expected a completed night, found \(first)")
            return
        }
        clock.now = clock.now.addingTimeInterval(3600)
        let second = try scheduler("b").run(nights: 1)
        #expect(second == [.alreadyCompleted(jobId: id)])
        let jobs = try SQLiteStore(path: path, mode: .readOnly).jobs()
        #expect(jobs.map(\.status) == [.completed])
        #expect(jobs.first?.startedAt == Int(FakeClock.date("2026-11-27T10:00:00Z").timeIntervalSince1970 / 60))
    }

    /// Failures are retried after 60, 120, 240 s (bounded by `retries`); then the hook is called once with the
    /// last job id and message.
    @Test func retriesWithBackoffThenCallsTheHookOnce() throws {
        let clock = FakeClock("2026-11-27T02:00:00Z")
        var calls = 0
        var hooked: [(String?, String)] = []
        let failing = NightlyScheduler(
            configuration: Self.configuration(retries: 3), now: { clock.now }, sleep: clock.sleep,
            attempt: { _, _ in
                calls += 1
                return .failed(jobId: "job\(calls)", message: "boom \(calls)")
            }, onFailure: { id, message, _ in hooked.append((id, message)) })
        let night = try failing.runNight(slot: clock.now)
        #expect(night == .failed(jobId: "job4", message: "boom 4", attempts: 4))
        #expect(clock.sleeps == [60, 120, 240])
        #expect(hooked.count == 1 && hooked.first?.0 == "job4" && hooked.first?.1 == "boom 4")

        let recovering = FakeClock("2026-11-27T02:00:00Z")
        var tries = 0
        let flaky = NightlyScheduler(
            configuration: Self.configuration(retries: 3), now: { recovering.now }, sleep: recovering.sleep,
            attempt: { _, _ in
                tries += 1
                return tries < 3 ? .failed(jobId: "f\(tries)", message: "transient") : .completed(jobId: "ok")
            }, onFailure: { _, _, _ in Issue.record("the night recovered: no hook") })
        #expect(try flaky.runNight(slot: recovering.now) == .completed(jobId: "ok", attempts: 3))
        #expect(recovering.sleeps == [60, 120])
    }

    /// On a real database whose job fails (an outside trigger aborts its writes), every attempt is a failed row and
    /// the hook gets the last one's id; the shell hook sees it in its environment.
    @Test func failureHookGetsTheJobId() throws {
        let path = try Self.database("failing.sqlite", usersBefore: "2026-11-27T00:00:00Z")
        // An outside writer's trigger that aborts the learning transaction's pattern writes: the job starts, fails
        // and is recorded (a settings row out of range, by contrast, stops the attempt before any job row).
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for event in ["INSERT", "UPDATE"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER test_fail_\(event.lowercased()) BEFORE \(event) ON onboarding_flow_patterns
                        BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                        """)
            }
        }
        try queue.close()

        let clock = FakeClock("2026-11-27T02:00:00Z")
        let folder = try CLIRunner.makeTemporaryDirectory(prefix: "hook")
        let output = folder.appendingPathComponent("hook.txt").path
        let hook = FailureHook(
            command:
                "printf '%s|%s|%s' \"$ONBOARDING_JOB_ID\" \"$ONBOARDING_NIGHT\" \"$ONBOARDING_JOB_ERROR\" > '\(output)'",
            database: path)
        let s = NightlyScheduler(
            configuration: Self.configuration(retries: 1), now: { clock.now }, sleep: clock.sleep,
            attempt: NightlyScheduler.sqliteAttempt(path: path, owner: .current(), leaseDuration: 600),
            onFailure: { id, message, slot in _ = try? hook.run(jobId: id, message: message, slot: slot) })
        let night = try s.runNight(slot: clock.now)
        let jobs = try SQLiteStore(path: path, mode: .readOnly).jobs()
        #expect(jobs.map(\.status) == [.failed, .failed])
        guard case .failed(let id?, _, 2) = night else {
            Issue.record("expected two failed attempts, found \(night)")
            return
        }
        #expect(id == jobs.last?.id)
        let seen = try String(contentsOfFile: output, encoding: .utf8)
        #expect(seen.hasPrefix("\(id)|2026-11-27T02:00:00Z|SQLite error 19: injected failure"), "\(seen)")
    }

    /// Two schedulers on one database: while A holds the lease B waits (no failure, no job); when A is done B finds
    /// the night completed. One job for the night.
    @Test func twoSchedulersNeverRunTheSameNight() throws {
        let path = try Self.database("two.sqlite", usersBefore: "2026-11-27T00:00:00Z")
        let clock = FakeClock("2026-11-27T02:00:00Z")
        let ownerA = LeaseOwner.current(token: "a")
        let a = NightlyScheduler(
            configuration: Self.configuration(), now: { clock.now }, sleep: clock.sleep,
            attempt: NightlyScheduler.sqliteAttempt(path: path, owner: ownerA, leaseDuration: 600),
            onFailure: { _, m, _ in Issue.record("A failed: \(m)") })
        // A has taken the lease (its job is in progress) when B wakes.
        try SQLiteStore(path: path, mode: .existing).acquireNightlyLease(owner: ownerA, now: clock.now, duration: 600)
        var aNight: NightlyScheduler.Night?
        let b = NightlyScheduler(
            configuration: Self.configuration(), now: { clock.now },
            sleep: { seconds in
                clock.sleep(seconds)
                if aNight == nil { aNight = try a.runNight(slot: FakeClock.date("2026-11-27T02:00:00Z")) }
            },
            attempt: NightlyScheduler.sqliteAttempt(path: path, owner: .current(token: "b"), leaseDuration: 600),
            onFailure: { _, m, _ in Issue.record("B failed: \(m)") })
        let bNight = try b.runNight(slot: clock.now)
        guard case .completed(let id, _) = aNight else {
            Issue.record("A should have run the night, found \(String(describing: aNight))")
            return
        }
        #expect(bNight == .alreadyCompleted(jobId: id))
        #expect(clock.sleeps == [60])
        #expect(try SQLiteStore(path: path, mode: .readOnly).jobs().count == 1)
        #expect(try SQLiteStore(path: path, mode: .readOnly).liveLease(now: clock.now) == nil)
    }
}
