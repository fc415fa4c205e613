import ArgumentParser
import OnboardingEngine

/// `engine assign DB --user U --persona P --at T [--seed S]`: the v3 entry point `initForUser`.
struct EngineAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign an onboarding flow to a new user (initForUser).",
        discussion: """
            Prints {persona, variant, flowId, mode, steps}. The policy's draws come from the stream \
            RandomStream(seed: SeedDerivation.seed(master: SEED, replicate: 0, stream: "policy:" + USER)), \
            so the same command on the same database gives the same answer, and users do not share a stream.
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(help: ArgumentHelp("The new user's id.", valueName: "user"))
    var user: String

    @Option(help: ArgumentHelp("The user's persona.", valueName: "persona"))
    var persona: String

    @OptionGroup var clock: ClockOption

    @Option(help: "The master seed of the policy stream.")
    var seed: UInt64 = 0

    @Option(help: "Output format: json (sorted keys), table or csv.")
    var format: OutputFormat = .json

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user is empty") }
        guard !persona.isEmpty else { throw ValidationError("--persona is empty") }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(
                database.path, policySeed: EngineDatabase.policySeed(master: seed, userId: user))
            try clock.refuseBackdating(engine)
            let result = try engine.initForUser(userId: user, persona: persona, at: clock.minute)
            switch format {
            case .json:
                let object: JSONValue = .object([
                    "persona": .string(result.persona), "variant": .string(result.variant),
                    "flowId": .string(result.flowId), "mode": .string(result.mode.rawValue),
                    "steps": .array(result.steps.map { .string($0) }),
                ])
                print(JSONOutput.text(object), terminator: "")
            case .table, .csv:
                var table = TableFormatter("persona", "variant", "flowId", "mode", "steps")
                table.append([
                    .text(result.persona), .text(result.variant), .text(result.flowId), .text(result.mode.rawValue),
                    .text(result.steps.joined(separator: ">")),
                ])
                print(format.render(table), terminator: "")
            }
        }
    }
}
