import ArgumentParser
import Experiments
import Foundation
import OnboardingEngine
import OnboardingPersistence
import Scenarios

/// `engine init DB [--config FILE.yaml] --at T`: creates or migrates an engine database, and applies a
/// configuration file.
struct EngineInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an engine database, or migrate one to this binary's schema.",
        discussion: """
            With --config, the file (the scenario format of `scenarios/*.yaml`; only `personas` is required) \
            is applied in one transaction: the engine and governance blocks replace every setting, each \
            persona's activation event and v3 default are registered, and every `candidate: true` flow becomes \
            a pattern with sample 0 at --at (introduced_day is a simulation notion and is not used here). Truth \
            values are ignored. A persona without a v3 default is reported and left unconfigured. The file is \
            read and checked before the database is touched: a bad file exits 2 and writes nothing.
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("An engine configuration in the scenario YAML format.", valueName: "file.yaml"))
    var configPath: String?

    @OptionGroup var clock: ClockOption

    func run() throws {
        try CommandFailure.reporting {
            let setup = try configPath.map(Self.loadSetup)
            let existed = FileManager.default.fileExists(atPath: database.path)
            var engine: V4Engine?
            var skipped: [String] = []
            do {
                let opened = try EngineDatabase.open(database.path, mode: .createOrMigrate)
                engine = opened
                if let setup {
                    if existed { try clock.refuseBackdating(opened) }
                    skipped = try Self.apply(setup, to: opened, at: clock.minute)
                }
            } catch {
                // A database this command created is removed again (a full disk, a bad configuration): never a
                // half-written or 0-byte file where the next command expects an engine database.
                if !existed {
                    try? (engine?.store as? SQLiteStore)?.close()
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        try? FileManager.default.removeItem(atPath: database.path + suffix)
                    }
                }
                throw error
            }
            print(
                existed ? "engine database \(database.path) is up to date" : "created engine database \(database.path)")
            if let setup, let configPath {
                let personas = setup.personas.count - skipped.count
                print(
                    "applied \(configPath): \(EngineSettings.keys.count) settings, \(personas) persona(s), "
                        + "\(setup.candidates.count) candidate flow(s)")
            }
            for persona in skipped {
                StandardError.write(
                    "warning: persona \(persona) has no v3_default and was not configured: assigning its users fails "
                        + "whenever the engine falls back to the v3 default (no champion yet)")
            }
        }
    }

    /// Reads the configuration file and maps it to what the engine needs. Throws ``ScenarioError`` (exit 2).
    static func loadSetup(_ path: String) throws -> EngineSetup {
        let scenario = try ScenarioLoader.load(path: path, mode: .engineConfiguration)
        do {
            return try ScenarioMapping.engineSetup(from: scenario)
        } catch let error as EngineError {
            let (key, reason): (String, String)
            if case .invalidSetting(let k, let r) = error {
                (key, reason) = (k, r)
            } else {
                (key, reason) = ("", error.description)
            }
            throw ScenarioError(diagnostics: [
                Diagnostic(location: SourceLocation(file: path, line: 0, column: 0), path: key, reason: reason)
            ])
        }
    }

    /// Applies `setup` in one transaction; returns the personas left unconfigured (no v3 default).
    static func apply(_ setup: EngineSetup, to engine: V4Engine, at: Int) throws -> [String] {
        try engine.store.transaction {
            try engine.updateSettings(setup.settings, at: at)
            var skipped: [String] = []
            for persona in setup.personas {
                guard !persona.v3Default.isEmpty else {
                    skipped.append(persona.persona)
                    continue
                }
                try engine.configurePersona(persona)
            }
            for candidate in setup.candidates {
                try engine.registerCandidateFlow(
                    persona: candidate.persona, steps: candidate.steps, variant: candidate.variant, at: at)
            }
            return skipped
        }
    }
}
