import ArgumentParser
import Foundation
import OnboardingEngine

/// `engine event DB --user U --event E --at T [--metadata JSON]`: the v3 entry point `handleEvent`.
struct EngineEventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Record a v3 onboarding event for a user (handleEvent).",
        discussion: """
            The event is appended to onboarding_events; a step of the user's presented flow is marked \
            completed; the persona's activation event records the `activated` outcome (activated_7d only \
            within 7 days of assignment). \(stepOrderRewrittenEvent) with a JSON array of steps as --metadata \
            rewrites the presented step order.
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(help: ArgumentHelp("The user's id (assigned earlier).", valueName: "user"))
    var user: String

    @Option(help: ArgumentHelp("The event type, e.g. a step id or the persona's activation event.", valueName: "event"))
    var event: String

    @OptionGroup var clock: ClockOption

    @Option(help: ArgumentHelp("Event metadata: a JSON value, stored as given.", valueName: "json"))
    var metadata: String?

    func validate() throws {
        guard !user.isEmpty else { throw ValidationError("--user is empty") }
        guard !event.isEmpty else { throw ValidationError("--event is empty") }
        if let metadata {
            guard (try? JSONSerialization.jsonObject(with: Data(metadata.utf8), options: [.fragmentsAllowed])) != nil
            else {
                throw ValidationError("--metadata is not valid JSON: \(metadata)")
            }
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(database.path)
            try clock.refuseBackdating(engine)
            let before = try engine.store.assignment(userId: user)
            try engine.handleEvent(userId: user, eventType: event, at: clock.minute, metadata: metadata)
            var line = "recorded event \(event) for user \(user) at \(TimeArgument.iso(clock.minute))"
            if let before, engine.personaConfig(before.persona)?.activationEvent == event {
                let after = try engine.store.assignment(userId: user)
                if before.activated7d {
                    line += " (activation event; the user was already activated)"
                } else if after?.activated7d == true {
                    line += " (activation event: activated within 7 days)"
                } else {
                    line += " (activation event, more than 7 days after assignment: activated_7d stays false)"
                }
            }
            print(line)
        }
    }
}
