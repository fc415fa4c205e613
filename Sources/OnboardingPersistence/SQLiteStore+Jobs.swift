import Foundation
import GRDB
import OnboardingEngine

/// Who holds, or asks for, the nightly job lease: `host:pid:token`. On the lease's own host a holder whose
/// process is gone is recognised at once (no need to wait for the expiry); elsewhere the expiry decides.
public struct LeaseOwner: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    /// Tells apart two holders in one process (two schedulers in a test, `serve` and its scheduler).
    public var token: String

    public init(host: String, pid: Int32, token: String) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// This process, with a fresh token.
    public static func current(token: String = String(UUID().uuidString.prefix(8)).lowercased()) -> LeaseOwner {
        LeaseOwner(host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier, token: token)
    }

    public var description: String { "\(host):\(pid):\(token)" }

    /// Parses `host:pid:token` (nil for any other text, e.g. written by hand).
    init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { return nil }
        self.init(
            host: parts[0..<(parts.count - 2)].joined(separator: ":"), pid: pid, token: String(parts[parts.count - 1]))
    }

    /// False only when the owner ran on this host and its process no longer exists.
    var mayBeAlive: Bool {
        guard host == ProcessInfo.processInfo.hostName else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

/// One row of `onboarding_job_leases`.
public struct JobLease: Sendable, Equatable {
    public var jobType: String
    public var owner: String
    public var acquiredAt: String
    public var heartbeatAt: String
    public var expiresAt: String
}

/// What ``SQLiteStore/runNightlyWithLease(engine:at:owner:now:leaseDuration:skipIfCompletedSince:)`` did.
public struct LeasedNightly: Sendable, Equatable {
    /// The job run; nil when a completed nightly job already covers `skipIfCompletedSince`.
    public var report: NightlyReport?
    /// The completed job that made this call skip.
    public var alreadyCompleted: LearningJob?
    /// Jobs found `running` with no live lease, now `failed` ("abandoned").
    public var abandoned: [LearningJob]
}

extension SQLiteStore {
    /// The job type of the nightly learning job (`onboarding_learning_jobs.job_type`, the lease's key).
    public static let nightlyJobType = "nightly_analysis"
    /// How long a lease lasts after its last heartbeat when nobody releases it.
    public static let defaultLeaseDuration: TimeInterval = 30 * 60
    /// The range `--lease-seconds` accepts.
    public static let leaseDurationRange: ClosedRange<TimeInterval> = 10...(7 * 24 * 3600)

    /// The prefix of the error message of an abandoned job.
    public static let abandonedPrefix = "abandoned"

    /// The nightly lease when some process holds it live at `now` (not expired, holder not known dead).
    public func liveLease(now: Date) throws -> JobLease? {
        try read { db in try Self.liveLease(db, now: now) }
    }

    static func liveLease(_ db: Database, now: Date) throws -> JobLease? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM onboarding_job_leases WHERE job_type = ?", arguments: [nightlyJobType])
        else { return nil }
        let lease = JobLease(
            jobType: try row.decode(forColumn: "job_type"), owner: try row.decode(forColumn: "owner"),
            acquiredAt: try row.decode(forColumn: "acquired_at"),
            heartbeatAt: try row.decode(forColumn: "heartbeat_at"),
            expiresAt: try row.decode(forColumn: "expires_at"))
        guard lease.expiresAt > SQLTime.text(now) else { return nil }
        if let owner = LeaseOwner(text: lease.owner), !owner.mayBeAlive { return nil }
        return lease
    }

    /// Takes the nightly lease for `owner` until `now + duration`, or throws ``PersistenceError/leaseHeld`` when
    /// another owner holds it live. Taking it again as its owner is a heartbeat.
    public func acquireNightlyLease(owner: LeaseOwner, now: Date, duration: TimeInterval = defaultLeaseDuration)
        throws
    {
        try write { db in try Self.acquire(db, path: path, owner: owner, now: now, duration: duration) }
    }

    static func acquire(_ db: Database, path: String, owner: LeaseOwner, now: Date, duration: TimeInterval) throws {
        if let lease = try liveLease(db, now: now), lease.owner != owner.description {
            throw PersistenceError.leaseHeld(path: path, owner: lease.owner, expiresAt: lease.expiresAt)
        }
        let nowText = SQLTime.text(now)
        try db.execute(
            sql: """
                INSERT INTO onboarding_job_leases (job_type, owner, acquired_at, heartbeat_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job_type) DO UPDATE SET
                  acquired_at = CASE WHEN owner = excluded.owner THEN acquired_at ELSE excluded.acquired_at END,
                  owner = excluded.owner, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
                """,
            arguments: [
                nightlyJobType, owner.description, nowText, nowText, SQLTime.text(now.addingTimeInterval(duration)),
            ])
    }

    /// Gives the lease up (only `owner`'s lease is removed).
    public func releaseNightlyLease(owner: LeaseOwner) throws {
        try write { db in
            try db.execute(
                sql: "DELETE FROM onboarding_job_leases WHERE job_type = ? AND owner = ?",
                arguments: [Self.nightlyJobType, owner.description])
        }
    }

    /// Marks every `running` job `failed` with the message "abandoned: …" when no process holds the nightly
    /// lease live at `now` (its process was killed or lost the database), and records
    /// `onboarding_learning_job_failed` for each at `at` (engine clock). Returns the jobs marked. A job running
    /// under a live lease is left alone. For the dashboard and `engine nightly`; `inspect` shows the same without
    /// writing (``jobsAsSeen(now:)``).
    @discardableResult
    public func reconcileAbandonedJobs(now: Date, at: Minute) throws -> [LearningJob] {
        try transaction {
            try write { db in
                guard try Self.liveLease(db, now: now) == nil else { return [] }
                return try Self.markAbandoned(db, store: self, now: now, at: at)
            }
        }
    }

    static func markAbandoned(_ db: Database, store: SQLiteStore, now: Date, at: Minute) throws -> [LearningJob] {
        let running = try Row.fetchAll(
            db, sql: "SELECT * FROM onboarding_learning_jobs WHERE status = 'running' ORDER BY rowid"
        ).map(JobRecord.job(from:))
        var marked: [LearningJob] = []
        for var job in running {
            job.status = .failed
            job.errorMessage = abandonedMessage(now: now)
            try db.execute(
                sql: "UPDATE onboarding_learning_jobs SET status = 'failed', error_message = ? WHERE id = ?",
                arguments: [job.errorMessage, job.id])
            try store.appendOrchestratorEvent(
                type: .jobFailed, persona: nil,
                payload: JSONValue.object([
                    "job_id": .string(job.id), "error_message": .string(job.errorMessage ?? ""),
                ]).text, at: max(at, job.startedAt))
            marked.append(job)
        }
        return marked
    }

    static func abandonedMessage(now: Date) -> String {
        "\(abandonedPrefix): the job was still running at \(SQLTime.text(now)) but no process held the job lease (its process was stopped)"
    }

    /// The jobs as ``jobs()`` returns them, except that a `running` job with no live lease at `now` shows as
    /// `failed` "abandoned" (nothing is written: `inspect` is read-only).
    public func jobsAsSeen(now: Date) throws -> [LearningJob] {
        let jobs = try jobs()
        guard jobs.contains(where: { $0.status == .running }), try liveLease(now: now) == nil else { return jobs }
        return jobs.map { job in
            guard job.status == .running else { return job }
            var seen = job
            seen.status = .failed
            seen.errorMessage = Self.abandonedMessage(now: now) + " (recorded by the next nightly job)"
            return seen
        }
    }

    /// The latest completed nightly job (by its engine time), or nil.
    public func lastCompletedNightly() throws -> LearningJob? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM onboarding_learning_jobs WHERE status = 'completed' AND job_type = ?
                     ORDER BY started_at DESC, rowid DESC LIMIT 1
                    """, arguments: [Self.nightlyJobType]
            ).map(JobRecord.job(from:))
        }
    }

    /// The nightly job under the lease: takes the lease for `owner` (or throws ``PersistenceError/leaseHeld``),
    /// marks the jobs a dead process left `running` as abandoned, skips when a completed nightly job already
    /// started at or after `skipIfCompletedSince` (two schedulers never run the same night), runs
    /// `engine.runNightlyLearningJob(now: at)` with freshly read settings, and releases the lease — also when the
    /// job throws. `now` is the wall clock of the lease; `at` the engine clock of the job.
    ///
    /// The learning transaction cannot heartbeat (SQLite has one writer at a time), so `leaseDuration` must
    /// exceed the longest nightly job; a holder on the same host that died is recognised at once by its pid.
    public func runNightlyWithLease(
        engine: V4Engine, at: Minute, owner: LeaseOwner, now: Date,
        leaseDuration: TimeInterval = defaultLeaseDuration, skipIfCompletedSince: Minute? = nil
    ) throws -> LeasedNightly {
        guard engine.store === self else {
            throw EngineError.invalidArgument("runNightlyWithLease: the engine runs on another store")
        }
        let (abandoned, done) = try transaction { () throws -> ([LearningJob], LearningJob?) in
            try write { db in
                try Self.acquire(db, path: path, owner: owner, now: now, duration: leaseDuration)
                let abandoned = try Self.markAbandoned(db, store: self, now: now, at: at)
                guard let since = skipIfCompletedSince else { return (abandoned, nil) }
                let done = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM onboarding_learning_jobs
                         WHERE status = 'completed' AND job_type = ? AND started_at >= ?
                         ORDER BY started_at LIMIT 1
                        """, arguments: [Self.nightlyJobType, SQLTime.bound(since)]
                ).map(JobRecord.job(from:))
                return (abandoned, done)
            }
        }
        defer { try? releaseNightlyLease(owner: owner) }
        if let done { return LeasedNightly(report: nil, alreadyCompleted: done, abandoned: abandoned) }
        try engine.reload()
        let report = try engine.runNightlyLearningJob(now: at)
        return LeasedNightly(report: report, alreadyCompleted: nil, abandoned: abandoned)
    }
}
