import ArgumentParser
import Foundation
import OnboardingEngine
import OnboardingPersistence

/// `engine schedule DB --at-time HH:MM [--on-failure CMD]`: the nightly job once a day, in the foreground.
struct EngineScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run the nightly job every day at a UTC time, in the foreground.",
        discussion: """
            On start, a night that was missed is caught up once (however many nights were missed). Each run \
            takes the job lease, so two schedulers (or a scheduler and `engine nightly`) never run the same \
            night; a night already completed is skipped. A failed job is retried --retries times after \
            --retry-delay seconds, doubled at each retry (at most 30 min); then --on-failure runs once through \
            /bin/sh with ONBOARDING_JOB_ID, ONBOARDING_JOB_ERROR, ONBOARDING_DATABASE and ONBOARDING_NIGHT in its \
            environment. Every run is a row of onboarding_learning_jobs. One log line per decision goes to \
            stderr. Stop it with Ctrl-C or SIGTERM (a job in progress is then recovered by the next run).
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(help: ArgumentHelp("The time of day of the job, UTC (HH:MM, 00:00–23:59).", valueName: "HH:MM"))
    var atTime: String

    @Option(help: ArgumentHelp("A shell command run when a night fails after every retry.", valueName: "command"))
    var onFailure: String?

    @Option(help: "Retries after a failed attempt (0–10).")
    var retries: Int = 3

    @Option(
        help: ArgumentHelp("The first retry delay in seconds, doubled at each retry (1–3600).", valueName: "seconds"))
    var retryDelay: Double = 60

    @Option(
        help: ArgumentHelp(
            "How long the job lease lasts unless released (\(Int(SQLiteStore.leaseDurationRange.lowerBound))–\(Int(SQLiteStore.leaseDurationRange.upperBound)) s).",
            valueName: "seconds"))
    var leaseSeconds: Double = SQLiteStore.defaultLeaseDuration

    @Option(help: ArgumentHelp("Stop after this many nights (1–100000; default: run until stopped).", valueName: "n"))
    var nights: Int?

    func validate() throws {
        guard TimeOfDay(atTime) != nil else {
            throw ValidationError("--at-time must be HH:MM within 00:00–23:59 (UTC), found '\(atTime)'")
        }
        guard NightlyScheduler.Configuration.retriesRange.contains(retries) else {
            throw ValidationError("--retries must be within 0–10, found \(retries)")
        }
        guard NightlyScheduler.Configuration.retryDelayRange.contains(retryDelay) else {
            throw ValidationError("--retry-delay must be within 1–3600 seconds, found \(retryDelay)")
        }
        guard SQLiteStore.leaseDurationRange.contains(leaseSeconds) else {
            throw ValidationError(
                "--lease-seconds must be within \(Int(SQLiteStore.leaseDurationRange.lowerBound))–\(Int(SQLiteStore.leaseDurationRange.upperBound)), found \(leaseSeconds)"
            )
        }
        if let nights, !(1...100_000).contains(nights) {
            throw ValidationError("--nights must be within 1–100000, found \(nights)")
        }
        if let onFailure, onFailure.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--on-failure is empty")
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            // Refuse a missing or foreign file before scheduling anything.
            try SQLiteStore(path: database.path, mode: .existing).close()
            guard let timeOfDay = TimeOfDay(atTime) else { throw ValidationError("--at-time") }
            var configuration = NightlyScheduler.Configuration(timeOfDay: timeOfDay)
            configuration.retries = retries
            configuration.retryDelay = retryDelay
            configuration.leaseDuration = leaseSeconds
            let hook = onFailure.map { FailureHook(command: $0, database: database.path) }
            let owner = LeaseOwner.current()
            let scheduler = NightlyScheduler(
                configuration: configuration, now: { Date() }, sleep: { Thread.sleep(forTimeInterval: $0) },
                attempt: NightlyScheduler.sqliteAttempt(
                    path: database.path, owner: owner, leaseDuration: leaseSeconds),
                onFailure: { jobId, message, slot in
                    guard let hook else { return }
                    do {
                        let status = try hook.run(jobId: jobId, message: message, slot: slot)
                        if status != 0 { StandardError.write("schedule: --on-failure exited \(status)") }
                    } catch {
                        StandardError.write("schedule: --on-failure could not run: \(error)")
                    }
                },
                log: { StandardError.write("schedule: \($0)") })
            StandardError.write("schedule: \(database.path) every day at \(timeOfDay) UTC as \(owner)")
            let results = try scheduler.run(nights: nights)
            if results.contains(where: { if case .failed = $0 { return true } else { return false } }) {
                throw LabExit.checkFailed
            }
        }
    }
}
