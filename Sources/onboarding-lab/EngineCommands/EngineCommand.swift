import ArgumentParser

/// `onboarding-lab engine …`: the v4 engine on a real SQLite database (SPEC §1, §5.1).
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Operate the v4 engine on a SQLite database.",
        discussion: """
            Every subcommand takes the database as its first argument and the time of the operation as \
            --at TIME, by default now (UTC): the engine itself never reads the wall clock. TIME is an integer \
            number of minutes of the engine clock, or an ISO 8601 UTC time (2026-11-27T09:30:00Z, \
            2026-11-27T09:30Z, or a date 2026-11-27 for midnight), converted to minutes since \
            1970-01-01T00:00Z. An operation dated before the last completed nightly job is refused (exit 6) \
            unless --backdate is given.

            Only `engine init` creates a database; the other subcommands refuse a missing file, a file that \
            is not an engine database, or a schema newer than this binary, and leave it untouched.

            Exit codes: 0 success; 1 the nightly job failed; 2 invalid configuration file; 3 database \
            refused (or the job lease is held by another process); 4 the database holds invalid contents; 6 \
            the engine refused the request (unknown user, persona or outcome, a user assigned twice, an \
            invalid setting, a time before the last completed nightly job without --backdate); 64 invalid \
            usage.
            """,
        subcommands: [
            EngineInitCommand.self, EngineAssignCommand.self, EngineEventCommand.self, EngineOutcomeCommand.self,
            EngineNightlyCommand.self, EngineSettingsCommand.self, EngineScheduleCommand.self,
        ])
}
