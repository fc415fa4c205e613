import ArgumentParser
import OnboardingEngine

/// `engine outcome DB --user U --outcome activated|retained_30d|upgraded --at T`: `recordOutcome`.
struct EngineOutcomeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Record an outcome for a user (recordOutcome).",
        discussion: """
            `activated` sets activated_7d only within 7 days of assignment, and records the first win once; \
            repeating an outcome changes nothing. An unknown user or outcome exits 6 and writes nothing.
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(help: ArgumentHelp("The user's id (assigned earlier).", valueName: "user"))
    var user: String

    @Option(
        help: ArgumentHelp(
            "One of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "outcome"))
    var outcome: String

    @OptionGroup var clock: ClockOption

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user is empty") }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(database.path)
            let before = try engine.store.journeyMetrics(userId: user)
            try clock.refuseBackdating(engine)
            try engine.recordOutcome(userId: user, outcome: outcome, at: clock.minute)
            let after = try engine.store.journeyMetrics(userId: user)
            if before == after {
                print("outcome \(outcome) for user \(user): nothing changed (already recorded)")
            } else if outcome == Outcome.activated.rawValue, after?.activated7d != true {
                print(
                    "recorded the first win of user \(user); activated_7d stays false (more than 7 days after assignment)"
                )
            } else {
                print("recorded outcome \(outcome) for user \(user) at \(TimeArgument.iso(clock.minute))")
            }
        }
    }
}
