import ArgumentParser

/// The `onboarding-lab` command line (SPEC §5.1): one subcommand per file, shared options in `Options.swift`.
@main
struct OnboardingLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboarding-lab",
        abstract: "Simulate, compare and operate the self-learning onboarding engine (v4).",
        discussion: """
            Exit codes: 0 success; 1 a check failed (check) or a nightly job failed (engine nightly); \
            2 invalid scenario or configuration file; 3 the database was refused (missing, not an engine \
            database, schema newer than this binary, job lease held by another process); 4 the database holds invalid contents (or too little to calibrate a scenario); 5 results could \
            not be written; 6 the engine refused the request (unknown user, persona or outcome, duplicate \
            user, invalid setting, a time before the last completed nightly job without --backdate); 7 PNG or \
            PDF charts asked for (--figures) but rsvg-convert is missing or failed; 64 \
            invalid command-line usage; 127 `serve` could not find onboarding-lab-serve.
            """,
        version: LabVersion.current,
        subcommands: [
            ValidateCommand.self, TruthCommand.self, RunCommand.self, SweepCommand.self, CompareCommand.self,
            ReportCommand.self,
            CheckCommand.self, TuneCommand.self, MergeCommand.self, NotebookCommand.self, InspectCommand.self,
            CalibrateCommand.self, EngineCommand.self, ServeCommand.self,
        ])
}

enum LabVersion {
    static let current = "0.1.0"
}
