import ArgumentParser
import Calibration
import Foundation

/// `onboarding-lab calibrate DB --out scenario.yaml`: a scenario estimated from an engine database.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Write a scenario estimated from an engine database (traffic, personas, flows, truths, settings).",
        discussion: """
            Reads the database read-only (a non-engine file or a newer schema is refused, exit 3) and writes a \
            scenario that passes `validate`: mean signups per day with a Poisson dispersion test, weekday \
            multipliers when a chi-square test (alpha 0.01) says the weekly pattern is real, a trend note; per \
            persona its share, activation event and v3 default; as flows every presented step sequence with at \
            least --min-sample users (smaller ones are listed in comments); per flow 7-day activation (users older \
            than 7 days), 30-day retention and upgrade (users older than 30 days; conditional on activation when \
            both groups reach --min-sample), the time to first win (lognormal or exponential, truncated at 7 days, \
            maximum likelihood with GSL, chosen by AIC); the deviation from v3_step_order_rewritten events; \
            candidates (patterns outside the v3 default); the engine and governance settings as stored. Every \
            estimate carries its 95% interval and sample in a comment; the header names the source, the period and \
            what could not be estimated. --draws K also writes <out stem>.draw-01.yaml … with truths, shares and \
            deviation rates drawn from their posteriors (Beta for proportions, the fit's normal approximation for \
            times) by one GSL mt19937 generator seeded with --seed: tune or sweep each draw to see whether an \
            answer holds across plausible truths. Exit 4 when the contents cannot make a scenario (no signups, no \
            configured persona with users, nobody older than 7 days).
            """)

    @OptionGroup var database: DatabaseArgument

    @Option(help: ArgumentHelp("The scenario file to write.", valueName: "file"))
    var out: String

    @Option(
        help: ArgumentHelp("First signup day included. \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var since: TimeArgument?

    @Option(
        help: ArgumentHelp(
            "First day excluded (default: the day of the latest record). \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var until: TimeArgument?

    @Option(name: .customLong("min-sample"), help: ArgumentHelp("Smallest flow kept (1…1000000).", valueName: "n"))
    var minSample: Int = 30

    @Option(help: ArgumentHelp("Extra scenarios drawn from the posteriors (0…1000).", valueName: "k"))
    var draws: Int = 0

    @Option(help: ArgumentHelp("Seed of the draws and the scenarios' seed (0…2^64-1).", valueName: "seed"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The scenario name (default: from the --out file name).", valueName: "name"))
    var name: String?

    func validate() throws {
        guard (1...1_000_000).contains(minSample) else {
            throw ValidationError("--min-sample must be in 1…1000000, found \(minSample)")
        }
        guard (0...1000).contains(draws) else { throw ValidationError("--draws must be in 0…1000, found \(draws)") }
        guard !out.isEmpty else { throw ValidationError("--out is empty") }
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            throw ValidationError(
                "--name must be lowercase letters, digits and '-' (a results folder name), found '\(name)'")
        }
        if let since, let until, until.minute <= since.minute {
            throw ValidationError("--until (\(until)) must be after --since (\(since))")
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let calibrated = try Calibrator.calibrate(
                path: database.path,
                options: CalibrationOptions(since: since?.minute, until: until?.minute, minSample: minSample))
            let files = try calibrated.files(
                out: out, name: name ?? CalibratedScenario.name(forOutput: out), seed: seed, draws: draws)
            for file in files {
                do {
                    try Data(file.text.utf8).write(to: URL(fileURLWithPath: file.path))
                } catch {
                    throw OutputError(path: file.path, reason: error.localizedDescription)
                }
                print(file.path)
            }
            for gap in calibrated.gaps { StandardError.write("note: \(gap)") }
        }
    }
}
