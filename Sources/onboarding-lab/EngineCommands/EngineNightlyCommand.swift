import ArgumentParser
import Foundation
import OnboardingEngine
import OnboardingPersistence

/// `engine nightly DB [--at T]`: `runNightlyLearningJob` under the job lease.
struct EngineNightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Run the nightly learning job (runNightlyLearningJob).",
        discussion: """
            Aggregates the learning window ending at --at, updates the flow patterns and elects champions \
            under the governance laws. Prints the job, the champion changes, the rollbacks the law applied and \
            the degradation alerts. A failed job is recorded in the database (status failed, \
            onboarding_learning_job_failed) and exits 1.

            The job runs under a lease (onboarding_job_leases: owner host:pid, expiry): while another live \
            process holds it, this command runs nothing and exits 3. A job a stopped process left running is \
            marked failed ("abandoned") first. The lease lasts --lease-seconds and is released when the job \
            ends; a holder on the same host whose process is gone is recognised at once.
            """)

    @OptionGroup var database: DatabaseArgument

    @OptionGroup var clock: ClockOption

    @Option(help: "Output format: table or json (sorted keys).")
    var format: OutputFormat = .table

    @Option(
        help: ArgumentHelp(
            "How long the job lease lasts unless released (\(Int(SQLiteStore.leaseDurationRange.lowerBound))–\(Int(SQLiteStore.leaseDurationRange.upperBound)) s; longer than the longest job).",
            valueName: "seconds"))
    var leaseSeconds: Double = SQLiteStore.defaultLeaseDuration

    func validate() throws {
        if format == .csv {
            throw ValidationError("--format csv is not available for nightly (several tables); use table or json")
        }
        guard SQLiteStore.leaseDurationRange.contains(leaseSeconds) else {
            throw ValidationError(
                "--lease-seconds must be within \(Int(SQLiteStore.leaseDurationRange.lowerBound))–\(Int(SQLiteStore.leaseDurationRange.upperBound)), found \(leaseSeconds)"
            )
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(database.path)
            try clock.refuseBackdating(engine)
            guard let store = engine.store as? SQLiteStore else { throw EngineError.store("not a SQLite store") }
            if let pause = Self.testPause {
                engine.faultInjector = { if $0 == .afterFetch { Thread.sleep(forTimeInterval: pause) } }
            }
            let run = try store.runNightlyWithLease(
                engine: engine, at: clock.minute, owner: .current(), now: Date(), leaseDuration: leaseSeconds)
            for job in run.abandoned {
                StandardError.write(
                    "note: job \(job.id) (started \(TimeArgument.iso(job.startedAt))) was marked failed: abandoned")
            }
            guard let report = run.report else { return }
            print(format == .json ? JSONOutput.text(Self.json(report)) : Self.text(report), terminator: "")
            if report.job.status == .failed {
                let message = CommandFailure.oneLine(report.job.errorMessage ?? "no message")
                StandardError.write("error: the nightly learning job failed: \(message)")
                throw LabExit.checkFailed
            }
        }
    }

    /// `ONBOARDING_LAB_TEST_NIGHTLY_PAUSE=S` (tests only, 0–600 s): the job sleeps S seconds inside its learning
    /// transaction, after the window is fetched, so a test can stop the process mid-job (kill -9) deterministically.
    static var testPause: Double? {
        guard let text = ProcessInfo.processInfo.environment["ONBOARDING_LAB_TEST_NIGHTLY_PAUSE"],
            let seconds = Double(text), (0...600).contains(seconds)
        else { return nil }
        return seconds
    }

    static func summary(_ report: NightlyReport) -> TableFormatter {
        var table = TableFormatter(
            "job_id", "status", "patterns_discovered", "champions_updated", "rollbacks", "degradations")
        table.append([
            .text(report.job.id), .text(report.job.status.rawValue), .integer(report.job.patternsDiscovered),
            .integer(report.job.championsUpdated), .integer(report.election.rollbacks.count),
            .integer(report.election.degradations.count),
        ])
        return table
    }

    static func changes(_ report: NightlyReport) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("persona"), .init("old_champion"), .init("new_champion"), .init("win_score_delta"),
        ])
        for c in report.election.changes {
            table.append([
                .text(c.persona), c.oldChampion.map { .text($0) } ?? .missing, .text(c.newChampion),
                .real(c.winScoreDelta),
            ])
        }
        return table
    }

    static func rollbacks(_ report: NightlyReport) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("persona"), .init("champion"), .init("rejected_candidate"), .init("champion_win_score"),
            .init("candidate_win_score"),
        ])
        for r in report.election.rollbacks {
            table.append([
                .text(r.persona), .text(r.champion), .text(r.rejectedCandidate), .real(r.championScore),
                .real(r.candidateScore),
            ])
        }
        return table
    }

    static func text(_ report: NightlyReport) -> String {
        var out = summary(report).text()
        if let message = report.job.errorMessage { out += "\nerror_message: \(CommandFailure.oneLine(message))\n" }
        out += "\nchampion changes\n" + (report.election.changes.isEmpty ? "(none)\n" : changes(report).text())
        out += "\nrollbacks\n" + (report.election.rollbacks.isEmpty ? "(none)\n" : rollbacks(report).text())
        out +=
            "\ndegraded champions\n"
            + (report.election.degradations.isEmpty
                ? "(none)\n" : report.election.degradations.map { $0 + "\n" }.joined())
        return out
    }

    static func json(_ report: NightlyReport) -> JSONValue {
        let job = report.job
        return .object([
            "job": .object([
                "id": .string(job.id), "job_type": .string(job.jobType), "status": .string(job.status.rawValue),
                "patterns_discovered": .integer(job.patternsDiscovered),
                "champions_updated": .integer(job.championsUpdated),
                "error_message": job.errorMessage.map { .string($0) } ?? .null, "started_at": .integer(job.startedAt),
                "completed_at": job.completedAt.map { .integer($0) } ?? .null,
            ]),
            "changes": changes(report).jsonRows,
            "rollbacks": rollbacks(report).jsonRows,
            "degradations": .array(report.election.degradations.map { .string($0) }),
        ])
    }
}
