import ArgumentParser

/// The lab's exit codes (also listed in `onboarding-lab --help` and the README).
enum LabExit {
    static let checkFailed = ExitCode(1)
    static let invalidInput = ExitCode(2)
    static let databaseRefused = ExitCode(3)
    static let databaseCorrupt = ExitCode(4)
    static let outputFailed = ExitCode(5)
    /// The engine refused the request: unknown user, persona or outcome, a user assigned twice, an invalid
    /// setting value or argument (``EngineError``). Nothing was written.
    static let engineRefused = ExitCode(6)
    /// PNG or PDF charts were asked for (`--figures`) but `rsvg-convert` is missing or failed.
    static let figureConverterMissing = ExitCode(7)
}
