import ArgumentParser
import OnboardingEngine

/// `engine settings DB [--set key=value]... [--at T]`: prints or changes the engine settings.
struct EngineSettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print the engine settings, or change them.",
        discussion: """
            Without --set, prints every setting: its key, the configured value and, where a governance law \
            bounds it, the value the engine uses (epsilon: min(epsilon, law.max_epsilon); \
            min_champion_sample: max(setting, law)). With --set (repeatable), each value is checked, then all \
            of them are applied in one update at --at; an ε above the law is kept as configured, used clamped, \
            recorded as governance_epsilon_clamped and reported on stderr. An invalid key or value exits 6 and \
            changes nothing. Keys: \(EngineSettings.keys.joined(separator: ", ")). Policies: \
            \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", ")); ab-test splits each persona's users \
            uniformly over its v3 default flows and candidates for ab_test_days \
            (\(EngineSettings.abTestDaysRange.lowerBound)–\(EngineSettings.abTestDaysRange.upperBound)) days from \
            the day of its first assignment under ab-test, then the nightly job fixes the best observed flow for good; \
            v3-default serves the v3 default split for ever.
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("A setting to change, as key=value (repeatable).", valueName: "key=value"))
    var assignments: [String] = []

    @Option(
        name: .customLong("at"),
        help: ArgumentHelp("The time of the change (default: now, UTC). \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var time: TimeArgument?

    @Flag(help: "Allow a time before the last completed nightly job.")
    var backdate = false

    @Option(help: "Output format: table, csv or json (sorted keys).")
    var format: OutputFormat = .table

    /// The `--set` pairs, in the order given.
    var changes: [(key: String, value: String)] {
        assignments.compactMap { text in
            text.firstIndex(of: "=").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
        }
    }

    func validate() throws {
        var seen: Set<String> = []
        for text in assignments {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--set expects key=value, found '\(text)'")
            }
            let key = String(text[..<equals])
            guard seen.insert(key).inserted else { throw ValidationError("--set \(key) is given more than once") }
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            // Check every key and value before the database is opened, so a typo changes nothing.
            var check = EngineSettings()
            for change in changes { try check.set(change.key, text: change.value) }

            let engine = try EngineDatabase.open(database.path)
            var settings = engine.settings
            if !changes.isEmpty {
                let minute = time?.minute ?? ClockOption.now
                try ClockOption.refuseBackdating(minute, engine: engine, allowed: backdate)
                for change in changes { try settings.set(change.key, text: change.value) }
                try engine.updateSettings(settings, at: minute)
                for warning in Self.lawWarnings(settings) { StandardError.write("warning: \(warning)") }
            }
            print(format.render(EngineTables.settings(settings)), terminator: "")
        }
    }

    /// What the laws change in `settings` (SPEC §1.7).
    static func lawWarnings(_ settings: EngineSettings) -> [String] {
        var warnings: [String] = []
        if settings.epsilonIsClamped {
            warnings.append(
                "epsilon \(settings.epsilon) is above law.max_epsilon \(settings.laws.maxEpsilon): the engine uses "
                    + "\(settings.effectiveEpsilon) (governance_epsilon_clamped recorded)")
        }
        if settings.minChampionSample < settings.laws.minChampionSample {
            warnings.append(
                "min_champion_sample \(settings.minChampionSample) is below law.min_champion_sample "
                    + "\(settings.laws.minChampionSample): the engine uses \(settings.effectiveMinChampionSample) "
                    + "(the setting can only raise the law)")
        }
        return warnings
    }
}
