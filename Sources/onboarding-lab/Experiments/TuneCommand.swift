import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find the best configuration of a grid by racing (e.g. epsilon for your traffic).",
        discussion: """
            Example: onboarding-lab tune scenarios/seed-narrative.yaml --grid engine.epsilon=0:0.3:0.05 \
            --objective cumulative_regret. Every configuration still in the race gets --batch more replicates \
            (common random numbers); after each round configurations significantly worse than the leader \
            (one-sided paired t-tests, Holm-adjusted at --alpha) are dropped, until one remains or \
            --max-replicates is reached. --require metric>=value (or <=, repeatable) adds constraints: a \
            configuration whose mean misses one cannot lead or win, and one that significantly violates it \
            (one-sided one-sample t-test, in the same Holm family) is dropped. Prints the winner and runner-up with \
            95% intervals, and whether the winner is significantly better than the runner-up (one-sided paired \
            t-test, Holm-adjusted, at --alpha); if not, names the configuration closest to the current setting \
            among those not significantly worse than the winner (distance: per swept setting, |value − current| \
            over the axis' span, summed). Then the replicates saved against running the full grid. Writes the same \
            result files as `sweep --grid …` would for the replicates run: the same config ids, configs.csv and \
            baseline (with --grid, the configuration closest to the current setting). Exit codes: 0 a winner, 1 no \
            configuration meets the --require constraints, 2 invalid input, 64 invalid usage. \
            Feasibility warnings (settings that cannot work for the scenario, see the README) go to stderr as \
            `warning: path: message` and do not change the exit code.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(
        name: .customLong("grid"),
        help: ArgumentHelp(
            "A grid axis: path=start:stop:step (inclusive) or path=v1,v2,… (repeatable; default: the scenario's sweep).",
            valueName: "axis"))
    var grid: [String] = []

    @Option(help: "The metric to optimise (minimised unless it is a rate or final_champion_correct).")
    var objective: String = "cumulative_regret"

    @Option(help: "The persona whose row counts (default ALL).")
    var persona: String = "ALL"

    @Option(help: "Replicates added per round (2…10000).")
    var batch: Int = 10

    @Option(help: "Replicate budget per configuration, --batch…100000 (default: the scenario's replicates).")
    var maxReplicates: Int?

    @Option(help: "Family-wise level for dropping a configuration.")
    var alpha: Double = 0.05

    @Option(
        name: .customLong("require"),
        help: ArgumentHelp(
            "A constraint the winner's mean must meet: metric>=value or metric<=value (repeatable), e.g. final_champion_correct>=0.9.",
            valueName: "constraint"))
    var requirements: [String] = []

    @Option(help: "Results folder (default: results/<scenario-name>/<UTC time>-s<seed>).")
    var out: String?

    @Flag(help: "Replace an existing results folder at --out (it is removed first, then the new one is written).")
    var force = false

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides

    func validate() throws {
        guard RacingOptions.objectives.contains(objective) else {
            throw ValidationError(
                "--objective must be one of \(RacingOptions.objectives.joined(separator: ", ")), found '\(objective)'")
        }
        if !(2...10_000).contains(batch) {
            throw ValidationError("--batch must be in 2…10000 (a paired test needs pairs), found \(batch)")
        }
        if let maxReplicates, maxReplicates > 100_000 {
            throw ValidationError("--max-replicates must be at most 100000, found \(maxReplicates)")
        }
        if let maxReplicates, maxReplicates < batch {
            throw ValidationError("--max-replicates (\(maxReplicates)) must be at least --batch (\(batch))")
        }
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be in (0, 1), found \(alpha)") }
        do {
            _ = try GridSpec.axes(grid)
            _ = try requirements.map(MetricConstraint.init(parsing:))
        } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        try CommandFailure.reporting {
            let scenario = try ScenarioValidation.load(path: scenario)
            if persona != "ALL" && !scenario.personas.contains(where: { $0.id == persona }) {
                throw ValidationError(
                    "--persona \(persona): the scenario has no such persona (personas: \(scenario.personas.map(\.id).joined(separator: ", ")), or ALL)"
                )
            }
            if persona == "ALL" && RacingOptions.perPersonaOnly.contains(objective) {
                throw ValidationError(
                    "--objective final_champion_correct needs a --persona (champions are per persona)")
            }
            let axes = try GridSpec.axes(grid)
            guard !axes.isEmpty || !scenario.sweep.isEmpty else {
                throw ValidationError(
                    "nothing to tune: give --grid path=start:stop:step, or a `sweep:` in the scenario")
            }
            let budget = maxReplicates ?? options.replicates ?? scenario.replicates
            let plan = try ExperimentPlan(
                scenario: scenario, sweep: true, replicates: budget, seed: options.seed, horizonDays: options.horizon,
                scale: options.scale, overrides: try overrides.parsed(), axes: axes.isEmpty ? nil : axes)
            guard plan.configurations.count >= 2 else {
                throw ValidationError("the grid has a single configuration: nothing to race")
            }
            FeasibilityOutput.print(Feasibility.warnings(for: plan, fileChecks: scenario.checks))
            let store = options.store.flatMap(StoreKind.init(rawValue:)) ?? .memory
            let started = Date()
            let bar = ProgressBar(label: "tune", quiet: options.quiet)
            let racing = RacingOptions(
                objective: objective, persona: persona, batch: batch, maxReplicates: budget, alpha: alpha,
                constraints: try requirements.map(MetricConstraint.init(parsing:)))
            // Refuse an existing --out before racing; the folder is written into <out>.partial and renamed.
            let target = try ResultTarget(
                out: out, defaultOut: ResultWriter.defaultFolder(scenario: plan.scenario, seed: plan.scenario.seed),
                force: force, resume: nil, identity: "tune")
            let result = try Racing.race(
                plan: plan, options: racing, run: RunOptions(store: store, threads: options.threads),
                progress: { bar.update($0, $1) },
                onRound: { done, alive, drops in
                    guard options.verbose else { return }
                    StandardError.write(
                        "after \(done) replicates: \(alive.count) left\(drops.isEmpty ? "" : "; dropped " + drops.map(\.config).joined(separator: ", "))"
                    )
                })
            bar.finish()
            // The same folder `sweep --grid …` writes (same names, configs.csv and baseline), for the replicates run.
            let results = ExperimentResults(plan: plan, outcomes: result.results.outcomes)
            let manifest = ResultWriter.manifest(results, store: store, threads: options.threads, started: started)
            try ResultWriter.write(
                results, to: target.folder, manifest: nil, confidence: options.confidenceTarget.confidence,
                figures: options.figureOptions.choice)
            try target.finish(manifest: manifest)
            for line in TuneSummary(plan: plan, result: result, options: racing).lines { print(line) }
            print("results: \(target.finalPath)")
            if result.winner == nil { throw LabExit.checkFailed }
        }
    }
}
