import Foundation
import OnboardingEngine
import Stochastics

/// Runs the nightly job once a day at a UTC time of day (`engine schedule`, `serve --nightly-at`).
///
/// The logic only: the clock, the sleeper, the job and the failure hook are injected, so tests drive days of
/// schedule in microseconds. Rules:
/// - **Catch-up once**: on start the latest slot at or before now is due unless a completed nightly job started
///   at or after it; however many nights were missed, one job runs.
/// - **Retries with backoff, bounded**: a failed attempt is retried after `retryDelay · 2^(k−1)` (capped at
///   `maxRetryDelay`), at most `retries` times; then the failure hook is called once with the last job id and
///   message. Every attempt that reached the engine is a row of `onboarding_learning_jobs`.
/// - **One run per night across processes**: each attempt runs under the job lease and is skipped when a completed
///   job already started at or after the slot (``SQLiteStore/runNightlyWithLease(engine:at:owner:now:leaseDuration:skipIfCompletedSince:)``).
///   While another process holds the lease, the scheduler waits (`retryDelay`, not counted as a failure) until
///   the holder is done or its lease expires.
public final class NightlyScheduler {
    public struct Configuration: Sendable, Equatable {
        public var timeOfDay: TimeOfDay
        /// Retries after a failed attempt (``retriesRange``).
        public var retries: Int = 3
        /// The first backoff, doubled at each retry (``retryDelayRange``, seconds).
        public var retryDelay: TimeInterval = 60
        public var maxRetryDelay: TimeInterval = 30 * 60
        public var leaseDuration: TimeInterval = SQLiteStore.defaultLeaseDuration

        public static let retriesRange = 0...10
        public static let retryDelayRange: ClosedRange<TimeInterval> = 1...3600

        public init(timeOfDay: TimeOfDay) { self.timeOfDay = timeOfDay }

        /// The delay before retry `k` (1-based).
        public func backoff(retry k: Int) -> TimeInterval {
            min(retryDelay * pow(2, Double(max(k - 1, 0))), maxRetryDelay)
        }
    }

    /// What one attempt of the nightly job gave.
    public enum Attempt: Sendable, Equatable {
        case completed(jobId: String)
        /// The job failed (recorded as `failed`), or could not start (`jobId` nil: database unavailable, …).
        case failed(jobId: String?, message: String)
        /// A completed job already covers the slot (another scheduler ran it).
        case alreadyCompleted(jobId: String)
        /// Another live process holds the job lease.
        case leaseHeld(owner: String)
    }

    /// How one night ended.
    public enum Night: Sendable, Equatable {
        case completed(jobId: String, attempts: Int)
        case alreadyCompleted(jobId: String)
        case failed(jobId: String?, message: String, attempts: Int)
    }

    public let configuration: Configuration
    let now: () -> Date
    let sleep: (TimeInterval) throws -> Void
    let attempt: (_ slot: Date, _ now: Date) -> Attempt
    let onFailure: (_ jobId: String?, _ message: String, _ slot: Date) -> Void
    let log: (String) -> Void

    /// - Parameters:
    ///   - now: the wall clock.
    ///   - sleep: waits the given seconds (`Thread.sleep` in production; a test advances its clock).
    ///   - attempt: one run of the job for `slot` at `now` (``sqliteAttempt(path:owner:leaseDuration:)``).
    ///   - onFailure: called once per night that failed after every retry.
    ///   - log: one line per decision (stderr in `engine schedule`).
    public init(
        configuration: Configuration, now: @escaping () -> Date, sleep: @escaping (TimeInterval) throws -> Void,
        attempt: @escaping (_ slot: Date, _ now: Date) -> Attempt,
        onFailure: @escaping (_ jobId: String?, _ message: String, _ slot: Date) -> Void,
        log: @escaping (String) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.now = now
        self.sleep = sleep
        self.attempt = attempt
        self.onFailure = onFailure
        self.log = log
    }

    /// The latest slot (the time of day, UTC) at or before `date`.
    public func latestSlot(atOrBefore date: Date) -> Date {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        var slot = day * 86_400 + configuration.timeOfDay.secondsOfDay
        if slot > seconds { slot -= 86_400 }
        return Date(timeIntervalSince1970: TimeInterval(slot))
    }

    /// The first slot strictly after `date`.
    public func nextSlot(after date: Date) -> Date {
        latestSlot(atOrBefore: date).addingTimeInterval(86_400)
    }

    /// Runs the job for `slot` until it completes, is found completed, or fails `retries + 1` times.
    public func runNight(slot: Date) throws -> Night {
        var failures = 0
        var waits = 0
        let maxWaits = Int((configuration.leaseDuration / configuration.retryDelay).rounded(.up)) + 1
        while true {
            let result = attempt(slot, now())
            switch result {
            case .completed(let id):
                log("night \(SQLTime.text(slot)): job \(id) completed")
                return .completed(jobId: id, attempts: failures + 1)
            case .alreadyCompleted(let id):
                log("night \(SQLTime.text(slot)): already done by job \(id); nothing to run")
                return .alreadyCompleted(jobId: id)
            case .leaseHeld(let owner):
                waits += 1
                guard waits <= maxWaits else {
                    let message = "the job lease stayed with \(owner) for the whole lease duration"
                    log("night \(SQLTime.text(slot)): \(message)")
                    onFailure(nil, message, slot)
                    return .failed(jobId: nil, message: message, attempts: failures)
                }
                log(
                    "night \(SQLTime.text(slot)): \(owner) holds the job lease; waiting \(Int(configuration.retryDelay)) s"
                )
                try sleep(configuration.retryDelay)
            case .failed(let id, let message):
                failures += 1
                guard failures <= configuration.retries else {
                    log("night \(SQLTime.text(slot)): attempt \(failures) failed (\(message)); giving up")
                    onFailure(id, message, slot)
                    return .failed(jobId: id, message: message, attempts: failures)
                }
                let delay = configuration.backoff(retry: failures)
                log("night \(SQLTime.text(slot)): attempt \(failures) failed (\(message)); retrying in \(Int(delay)) s")
                try sleep(delay)
            }
        }
    }

    /// Catches up the latest slot once, then runs every following slot; returns after `nights` nights (nil: never,
    /// unless `stop` returns true or the sleeper throws). Returns what each night gave.
    @discardableResult
    public func run(nights: Int? = nil, stop: () -> Bool = { false }) throws -> [Night] {
        var results: [Night] = []
        var slot = latestSlot(atOrBefore: now())
        while nights.map({ results.count < $0 }) ?? true, !stop() {
            results.append(try runNight(slot: slot))
            slot = nextSlot(after: max(now(), slot))
            guard nights.map({ results.count < $0 }) ?? true, !stop() else { break }
            let wait = slot.timeIntervalSince(now())
            log("next night \(SQLTime.text(slot)) (in \(Int(wait.rounded(.up))) s)")
            if wait > 0 { try sleep(wait) }
        }
        return results
    }
}

extension NightlyScheduler {
    /// One attempt on the engine database at `path`: opens it (fresh settings each time), runs the nightly job
    /// under the lease for `owner` at the engine time of `now`, skipping when a completed job started at or after
    /// the slot.
    public static func sqliteAttempt(path: String, owner: LeaseOwner, leaseDuration: TimeInterval) -> (
        Date, Date
    ) -> Attempt {
        { slot, now in
            do {
                let store = try SQLiteStore(path: path, mode: .existing)
                defer { try? store.close() }
                let engine = try V4Engine(store: store, random: RandomStream(seed: 0))
                let minute = Int((now.timeIntervalSince1970 / 60).rounded(.down))
                let slotMinute = Int((slot.timeIntervalSince1970 / 60).rounded(.down))
                let run = try store.runNightlyWithLease(
                    engine: engine, at: minute, owner: owner, now: now, leaseDuration: leaseDuration,
                    skipIfCompletedSince: slotMinute)
                if let done = run.alreadyCompleted { return .alreadyCompleted(jobId: done.id) }
                guard let job = run.report?.job else { return .failed(jobId: nil, message: "the job did not run") }
                return job.status == .completed
                    ? .completed(jobId: job.id) : .failed(jobId: job.id, message: job.errorMessage ?? "no message")
            } catch PersistenceError.leaseHeld(_, let holder, _) {
                return .leaseHeld(owner: holder)
            } catch {
                return .failed(jobId: nil, message: "\(error)")
            }
        }
    }
}

/// A time of day in UTC, `HH:MM`.
public struct TimeOfDay: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    /// Parses `HH:MM` (00:00–23:59), or nil.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        hour = h
        minute = m
    }

    var secondsOfDay: Int { hour * 3600 + minute * 60 }

    public var description: String { (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)" }
}
