import ArgumentParser
import Experiments
import Foundation

/// Options shared by `run`, `sweep`, `check` and `tune`.
struct ExperimentOptions: ParsableArguments {
    @Option(help: "Replicates per configuration (default: the scenario's `replicates`).")
    var replicates: Int?

    @Option(help: "Worker threads; results are identical for any value (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Master seed (default: the scenario's `seed`).")
    var seed: UInt64?

    @Option(help: "Simulate this many days instead of the scenario's horizon (quick runs).")
    var horizon: Int?

    @Option(help: "Multiply every traffic rate by this factor (quick runs, or scaling up).")
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

    @Flag(help: "No progress bar.")
    var quiet = false

    @Flag(help: "Print what is being run and where results go.")
    var verbose = false

    func validate() throws {
        if let replicates, replicates < 1 {
            throw ValidationError("--replicates must be at least 1, found \(replicates)")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1, found \(threads)") }
        if let horizon, horizon < 1 { throw ValidationError("--horizon must be at least 1 day, found \(horizon)") }
        if !(scale > 0) || !scale.isFinite {
            throw ValidationError("--scale must be a positive number, found \(scale)")
        }
        if let store, StoreKind(rawValue: store) == nil {
            throw ValidationError("--store must be memory or sqlite, found '\(store)'")
        }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }

    /// The store for a plan: as asked, else sqlite for a single replicate of a single configuration.
    func storeKind(for plan: ExperimentPlan) -> StoreKind {
        if let store, let kind = StoreKind(rawValue: store) { return kind }
        return plan.replicates == 1 && plan.configurations.count == 1 ? .sqlite : .memory
    }
}
