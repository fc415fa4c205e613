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
            --max-replicates is reached. Prints the winner and runner-up with 95% intervals and the replicates \
            saved against running the full grid, and writes the same result files as a sweep (baseline = the winner). \
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

    @Option(help: "Replicates added per round.")
    var batch: Int = 10

    @Option(help: "Replicate budget per configuration (default: the scenario's replicates).")
    var maxReplicates: Int?

    @Option(help: "Family-wise level for dropping a configuration.")
    var alpha: Double = 0.05

    @Option(help: "Results folder (default: results/<scenario-name>/<UTC time>-s<seed>).")
    var out: String?

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides

    func validate() throws {
        guard RacingOptions.objectives.contains(objective) else {
            throw ValidationError(
                "--objective must be one of \(RacingOptions.objectives.joined(separator: ", ")), found '\(objective)'")
        }
        if batch < 2 { throw ValidationError("--batch must be at least 2 (a paired test needs pairs), found \(batch)") }
        if let maxReplicates, maxReplicates < batch {
            throw ValidationError("--max-replicates (\(maxReplicates)) must be at least --batch (\(batch))")
        }
        if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be in (0, 1), found \(alpha)") }
        for g in grid {
            do { _ = try GridSpec.axis(g) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() throws {
        try CommandFailure.reporting {
            let scenario = try ScenarioValidation.load(path: scenario)
            if persona != "ALL" && !scenario.personas.contains(where: { $0.id == persona }) {
                throw ValidationError(
                    "--persona \(persona): the scenario has no such persona (personas: \(scenario.personas.map(\.id).joined(separator: ", ")), or ALL)"
                )
            }
            if persona == "ALL" && objective == "final_champion_correct" {
                throw ValidationError(
                    "--objective final_champion_correct needs a --persona (champions are per persona)")
            }
            let axes = try grid.map(GridSpec.axis)
            guard !axes.isEmpty || !scenario.sweep.isEmpty else {
                throw ValidationError(
                    "nothing to tune: give --grid path=start:stop:step, or a `sweep:` in the scenario")
            }
            let budget = maxReplicates ?? options.replicates ?? scenario.replicates
            var plan = try ExperimentPlan(
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
                objective: objective, persona: persona, batch: batch, maxReplicates: budget, alpha: alpha)
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
            // The written folder compares every configuration with the winner.
            if let winner = plan.configurations.first(where: { $0.name == result.winner }) {
                plan.baseline = winner.index
            }
            let results = ExperimentResults(plan: plan, outcomes: result.results.outcomes)
            let folder = try OutputFolder(
                path: out ?? ResultWriter.defaultFolder(scenario: plan.scenario, seed: plan.scenario.seed))
            let manifest = ResultWriter.manifest(results, store: store, threads: options.threads, started: started)
            try ResultWriter.write(results, to: folder, manifest: manifest)
            let configs = ConfigTable(plan: plan)
            func describe(_ name: String) -> String {
                guard let s = result.summaries[name] else { return "\(name) (\(configs.label(name)))" }
                return
                    "\(name) (\(configs.label(name))): \(objective) \(Format.fixed(s.mean, 4)) [95% CI \(Format.fixed(s.interval.lower, 4)), \(Format.fixed(s.interval.upper, 4))], n = \(s.n)"
            }
            print("winner:    \(describe(result.winner))")
            if let runnerUp = result.runnerUp { print("runner-up: \(describe(runnerUp))") }
            let saved = result.fullGridReplicates - result.replicatesRun
            print(
                "replicates: \(result.replicatesRun) run in \(result.rounds) round(s), against \(result.fullGridReplicates) for the full grid (\(saved) saved, \(Format.fixed(100 * Double(saved) / Double(max(result.fullGridReplicates, 1)), 1))%)"
            )
            for d in result.drops {
                print(
                    "  dropped \(d.config) (\(configs.label(d.config))) after \(d.afterReplicates) replicates: worse than \(d.versus), Holm p = \(Format.pValue(d.pAdjusted))"
                )
            }
            print("results: \(folder.path)")
        }
    }
}
