import ArgumentParser
import Experiments
import Scenarios

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every configuration of the scenario's sweep grid × replicates, with common random numbers.",
        discussion: """
            Replicate r sees the same synthetic users under every configuration, so comparisons are paired. \
            Writes configs.csv, daily.csv, replicates.csv, health.csv, comparison.csv, summary.json, report.md \
            (with charts/) and manifest.json. With --shard k/n only the k-th of n disjoint slices of the \
            configuration × replicate grid runs, and only the tables are written: join the shard folders with \
            `onboarding-lab merge OUT SHARD…` to get exactly the unsharded result. --grid path=start:stop:step \
            (inclusive) or path=v1,v2,… (repeatable) replaces the scenario's `sweep:` with these axes (first \
            --grid varying slowest), and the baseline becomes the configuration closest to the current setting; \
            `tune` with the same --grid names the configurations identically. --set changes base settings first. \
            Feasibility warnings (settings that cannot work for the scenario, see the README) go to stderr as \
            `warning: path: message` and do not change the exit code.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Results folder (default: results/<scenario-name>/<UTC time>-s<seed>).")
    var out: String?

    @Option(help: ArgumentHelp("Run only slice k of n (1-based), e.g. 3/8.", valueName: "k/n"))
    var shard: String?

    @Option(
        name: .customLong("grid"),
        help: ArgumentHelp(
            "A grid axis: path=start:stop:step (inclusive) or path=v1,v2,… (repeatable; replaces the scenario's sweep).",
            valueName: "axis"))
    var grid: [String] = []

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides
    @OptionGroup var folderOptions: ResultFolderOptions

    func validate() throws {
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") }
        }
        do { _ = try GridSpec.axes(grid) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        try CommandFailure.reporting {
            let scenario = try ScenarioValidation.load(path: scenario)
            let plan = try ExperimentPlan(
                scenario: scenario, sweep: true, replicates: options.replicates, seed: options.seed,
                horizonDays: options.horizon,
                scale: options.scale, overrides: try overrides.parsed(),
                axes: grid.isEmpty ? nil : try GridSpec.axes(grid))
            try Execution.runAndWrite(
                plan: plan, options: options, out: out, folderOptions: folderOptions, label: "sweep",
                shard: try shard.map(Shard.init(parsing:)),
                warnings: Feasibility.warnings(for: plan, fileChecks: scenario.checks))
        }
    }
}
