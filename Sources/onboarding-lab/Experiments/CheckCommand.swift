import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Assert the scenario's checks: does the engine converge to the true best flow? (exit code decides)",
        discussion: """
            For each `checks:` entry, estimates P(champion = true best flow on day D) over replicates and passes \
            when its Wilson 95% lower bound is at least min_probability. Runs the scenario's base settings (change \
            them with --set) up to the last checked day only. Prints a table (persona, day, estimate, lower bound, \
            required, verdict). Exit codes: 0 all checks pass, 1 a check fails, 2 invalid input. \
            Feasibility warnings (settings that cannot work for the scenario, see the README) go to stderr as \
            `warning: path: message` and do not change the exit code.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Also write the run's results folder here.")
    var out: String?

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides

    func run() throws {
        let results = try CommandFailure.reporting { () -> [CheckResult] in
            let scenario = try ScenarioValidation.load(path: scenario)
            guard !scenario.checks.isEmpty else {
                throw ValidationError("\(self.scenario) has no `checks:` to evaluate")
            }
            let lastDay = scenario.checks.map(\.championIsTrueBestByDay).max() ?? 0
            if let horizon = options.horizon, horizon <= lastDay {
                throw ValidationError("--horizon \(horizon) ends before the last checked day \(lastDay)")
            }
            let plan = try ExperimentPlan(
                scenario: scenario, sweep: false, replicates: options.replicates, seed: options.seed,
                horizonDays: options.horizon ?? lastDay + 1, scale: options.scale, overrides: try overrides.parsed())
            FeasibilityOutput.print(Feasibility.warnings(for: plan, fileChecks: scenario.checks))
            let store = options.store.flatMap(StoreKind.init(rawValue:)) ?? .memory
            let started = Date()
            let bar = ProgressBar(label: "check", quiet: options.quiet)
            let outcomes = try ExperimentRunner.run(
                plan, options: RunOptions(store: store, threads: options.threads), progress: { bar.update($0, $1) })
            bar.finish()
            let experiment = ExperimentResults(plan: plan, outcomes: outcomes)
            if let out {
                let manifest = ResultWriter.manifest(
                    experiment, store: store, threads: options.threads, started: started)
                try ResultWriter.write(experiment, to: try OutputFolder(path: out), manifest: manifest)
            }
            return try CheckEvaluator.evaluate(plan.scenario.checks, daily: experiment.dailyRows)
        }
        var table = TableFormatter(columns: [
            .init("persona", decimals: nil), .init("day", decimals: nil), .init("replicates", decimals: nil),
            .init("estimate"),
            .init("lower bound (Wilson 95%)"), .init("required"), .init("verdict", decimals: nil),
        ])
        for r in results {
            table.append([
                .text(r.persona), .integer(r.day), .integer(r.replicates), .real(r.estimate), .real(r.lowerBound),
                .real(r.required), .text(r.passed ? "PASS" : "FAIL"),
            ])
        }
        print(table.text(), terminator: "")
        let failed = results.filter { !$0.passed }.count
        print(failed == 0 ? "all \(results.count) check(s) passed" : "\(failed) of \(results.count) check(s) failed")
        if failed > 0 { throw LabExit.checkFailed }
    }
}
