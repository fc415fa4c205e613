import ArgumentParser
import Foundation
import OnboardingEngine
import OnboardingPersistence

/// `onboarding-lab inspect DB`: what an engine database has learnt — patterns, champions, jobs, orchestrator
/// events and the activation trend (SPEC §5.1).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the patterns, champions, jobs, events and activation trend of an engine database.",
        discussion: """
            Sections: patterns (getAllFlowPatterns: by persona, then win score), champions (one row per \
            persona), jobs (the learning jobs, oldest first), events (orchestrator events, oldest first) and \
            trend (getActivationTrendData: signups and 7-day activations per signup day). --persona filters \
            patterns, champions and events. The trend covers the --days days up to the day of --at; without \
            --at it ends on the day of the latest assignment. Formats: aligned tables (times in ISO 8601 UTC), \
            RFC 4180 CSV of one section (times in minutes of the engine clock), or JSON with one key per \
            section. Nothing is recorded: the engine's tables are only read; a job left running by a stopped \
            process (no live job lease) is shown failed, "abandoned", and recorded so by the next nightly job.
            """)

    /// One table of the output.
    enum Table: String, CaseIterable, Sendable {
        case patterns, champions, jobs, events, trend
    }

    /// What `--section` accepts: one table, or all of them.
    enum Section: String, CaseIterable, ExpressibleByArgument, Sendable {
        case patterns, champions, jobs, events, trend, all

        var tables: [Table] {
            Table(rawValue: rawValue).map { [$0] } ?? Table.allCases
        }
    }

    @OptionGroup var database: DatabaseArgument

    @Option(help: "The section to print.")
    var section: Section = .all

    @Option(help: "Output format: table, csv (one section) or json (sorted keys).")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Only this persona's patterns, champion and events.", valueName: "persona"))
    var persona: String?

    @Option(help: ArgumentHelp("Days of activation trend (1–3650).", valueName: "n"))
    var days: Int = 30

    @Option(
        name: .customLong("at"),
        help: ArgumentHelp("The last day of the trend. \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var time: TimeArgument?

    /// The longest trend: ten years of days.
    static let maxDays = EngineSettings.maxDays

    func validate() throws {
        if format == .csv && section == .all {
            throw ValidationError(
                "--format csv prints one table: choose it with --section patterns|champions|jobs|events|trend")
        }
        guard (1...Self.maxDays).contains(days) else {
            throw ValidationError("--days must be between 1 and \(Self.maxDays), found \(days)")
        }
        if persona != nil && (section == .jobs || section == .trend) {
            throw ValidationError("--persona applies to the patterns, champions and events sections")
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let engine = try EngineDatabase.open(database.path, mode: .readOnly)
            let tables = try section.tables.map { (name: $0.rawValue, rows: try table($0, engine: engine)) }
            switch format {
            case .json:
                let object = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows.jsonRows) })
                print(JSONOutput.text(.object(object)), terminator: "")
            case .csv:
                print(tables.map { $0.rows.csv() }.joined(), terminator: "")
            case .table where tables.count == 1:
                print(tables[0].rows.isEmpty ? "(none)\n" : tables[0].rows.text(), terminator: "")
            case .table:
                let blocks = tables.map { name, rows in
                    "\(name) (\(rows.rows.count))\n" + (rows.isEmpty ? "(none)\n" : rows.text())
                }
                print(blocks.joined(separator: "\n"), terminator: "")
            }
        }
    }

    func table(_ table: Table, engine: V4Engine) throws -> TableFormatter {
        switch table {
        case .patterns:
            return EngineTables.patterns(try engine.getAllFlowPatterns(persona: persona))
        case .champions:
            let configured = try engine.store.personaConfigs().map(\.persona)
            let patterns = try engine.getAllFlowPatterns(persona: persona)
            return EngineTables.champions(personas: persona.map { [$0] } ?? configured, patterns: patterns)
        case .jobs:
            // A job left `running` by a stopped process shows as failed "abandoned" (the next nightly records it).
            let jobs = try (engine.store as? SQLiteStore)?.jobsAsSeen(now: Date()) ?? engine.store.jobs()
            return EngineTables.jobs(jobs)
        case .events:
            let events = try engine.store.orchestratorEvents()
            return EngineTables.events(persona.map { p in events.filter { $0.persona == p } } ?? events)
        case .trend:
            guard let now = try time?.minute ?? Self.latestSignupMinute(engine) else { return EngineTables.trend([]) }
            return EngineTables.trend(try engine.getActivationTrendData(days: days, now: now))
        }
    }

    /// The first minute of the latest day with a signup, or nil when nobody was assigned (one grouped query).
    static func latestSignupMinute(_ engine: V4Engine) throws -> Int? {
        let everyDay = -(1 << 40)...(1 << 40)
        return try engine.store.activationTrend(days: everyDay).map(\.day).max().map { $0 * Clock.minutesPerDay }
    }
}
