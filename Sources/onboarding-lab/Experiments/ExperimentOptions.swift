import ArgumentParser
import Experiments
import Foundation
import OnboardingEngine
import Scenarios

/// Options shared by `run`, `sweep`, `check` and `tune`.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Replicates per configuration, 1–100000 (default: the scenario's `replicates`).")
    var replicates: Int?

    @Option(help: "Worker threads, 1–1024; results are identical for any value (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Master seed (default: the scenario's `seed`).")
    var seed: UInt64?

    @Option(help: "Simulate this many days (1–3650) instead of the scenario's horizon (quick runs).")
    var horizon: Int?

    @Option(
        help:
            "Multiply every traffic rate by this factor, > 0 and ≤ 1000000, keeping the busiest day within 10000000 signups (quick runs, or scaling up)."
    )
    var scale: Double = 1

    @Option(
        help: ArgumentHelp(
            "Engine store: memory or sqlite.",
            discussion:
                "Default: sqlite when there is one replicate (the engine's record of truth, written to engine.sqlite), memory otherwise (the fast twin; both give identical results)."
        ))
    var store: String?

    @Flag(
        help:
            "With --store sqlite and several replicates, keep one database per replicate (engine-c<config>-r<replicate>.sqlite)."
    )
    var keepDatabases = false

    @OptionGroup var confidenceTarget: ConfidenceOption

    @OptionGroup var figureOptions: FigureOptions

    @Flag(help: "No progress bar.")
    var quiet = false

    @Flag(help: "Print what is being run and where results go.")
    var verbose = false

    func validate() throws {
        if let replicates { try Self.check("--replicates", replicates, ScenarioLimits.replicates) }
        try Self.check("--threads", threads, ScenarioLimits.threads)
        if let horizon { try Self.check("--horizon", horizon, ScenarioLimits.horizonDays) }
        try Self.check("--scale", scale, ScenarioLimits.scale)
        if let store, StoreKind(rawValue: store) == nil {
            throw ValidationError("--store must be memory or sqlite, found '\(store)'")
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    /// Throws a validation error (exit 64) naming the option, the value and the range when `value` is outside it.
    static func check(_ option: String, _ value: Double, _ range: SettingRange) throws {
        guard !range.contains(value) else { return }
        throw ValidationError("\(option) must be \(range.phrase), found \(value)")
    }

    /// The integer form of ``check(_:_:_:)``: the message quotes the integer as written.
    static func check(_ option: String, _ value: Int, _ range: SettingRange) throws {
        guard !range.contains(Double(value)) else { return }
        throw ValidationError("\(option) must be \(range.phrase), found \(value)")
    }

    /// The store for a plan: as asked, else sqlite for a single replicate of a single configuration.
    func storeKind(for plan: ExperimentPlan) -> StoreKind {
        if let store, let kind = StoreKind(rawValue: store) { return kind }
        return plan.replicates == 1 && plan.configurations.count == 1 ? .sqlite : .memory
    }
}
