import ArgumentParser
import OnboardingEngine

/// `engine nightly DB --at T`: `runNightlyLearningJob`.
struct EngineNightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Run the nightly learning job (runNightlyLearningJob).",
        discussion: """
            Aggregates the learning window ending at --at, updates the flow patterns and elects champions \
            under the governance laws. Prints the job, the champion changes, the rollbacks the law applied and \
            the degradation alerts. A failed job is recorded in the database (status failed, \
            onboarding_learning_job_failed) and exits 1.
            """)

    @OptionGroup var database: DatabaseArgument

    @OptionGroup var clock: ClockOption

    @Option(help: "Output format: table or json (sorted keys).")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv {
            throw ValidationError("--format csv is not available for nightly (several tables); use table or json")
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(database.path)
            let report = try engine.runNightlyLearningJob(now: clock.minute)
            print(format == .json ? JSONOutput.text(Self.json(report)) : Self.text(report), terminator: "")
            if report.job.status == .failed {
                let message = CommandFailure.oneLine(report.job.errorMessage ?? "no message")
                StandardError.write("error: the nightly learning job failed: \(message)")
                throw LabExit.checkFailed
            }
        }
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
