import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios
import Stochastics

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Assert the scenario's checks: does the engine converge to the true best flow? (exit code decides)",
        discussion: """
            For each `checks:` entry, estimates P(champion = true best flow on day D) sequentially: replicates run \
            in batches of --batch, and after every batch each undecided check looks at its confidence interval. \
            PASS when the lower bound ≥ min_probability, FAIL when the upper bound < min_probability, otherwise \
            another batch, up to --max-replicates (still undecided then: FAIL, "undecided after N replicates"). \
            The rule stays valid under repeated looks: with K = ⌈max-replicates / batch⌉ planned looks, each look \
            uses a Clopper–Pearson interval at level 1 − 0.05/K (Bonferroni), so all looks of a check hold together \
            with at least 95% confidence and a check wrongly passes (or fails) with probability at most 2.5%. A \
            check whose min_probability is above what --max-replicates can show even if every replicate is correct \
            is reported "cannot pass at --max-replicates N" without running it. Replicate r is replicate r of a \
            plain run (same seeds), so the verdicts are deterministic whatever --threads. Runs the scenario's base \
            settings (change them with --set) up to the last checked day only. Prints, per check: decision, \
            replicates used, estimate, interval, required. --junit FILE also writes JUnit XML for CI. Exit codes: \
            0 all checks pass, 1 a check fails (or is undecided, or cannot pass), 2 invalid input (including a \
            scenario without checks). \
            Feasibility warnings (settings that cannot work for the scenario, see the README) go to stderr as \
            `warning: path: message` and do not change the exit code.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(
        help: ArgumentHelp(
            "Replicates added between two looks (\(CheckOptions.batchRange.lowerBound)…\(CheckOptions.batchRange.upperBound))."
        ))
    var batch: Int = CheckOptions.defaultBatch

    @Option(
        help: ArgumentHelp(
            "The most replicates a check may use (\(CheckOptions.maxReplicatesRange.lowerBound)…\(CheckOptions.maxReplicatesRange.upperBound))."
        ))
    var maxReplicates: Int = CheckOptions.defaultMaxReplicates

    @Option(help: ArgumentHelp("Also write the verdicts as JUnit XML to this file.", valueName: "file"))
    var junit: String?

    @Option(help: "Also write the run's results folder here.")
    var out: String?

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides

    func validate() throws {
        if options.replicates != nil {
            throw ValidationError(
                "check chooses the number of replicates itself: use --batch and --max-replicates instead of --replicates"
            )
        }
        guard CheckOptions.batchRange.contains(batch) else {
            throw ValidationError(
                "--batch must be in \(CheckOptions.batchRange.lowerBound)…\(CheckOptions.batchRange.upperBound), found \(batch)"
            )
        }
        guard CheckOptions.maxReplicatesRange.contains(maxReplicates) else {
            throw ValidationError(
                "--max-replicates must be in \(CheckOptions.maxReplicatesRange.lowerBound)…\(CheckOptions.maxReplicatesRange.upperBound), found \(maxReplicates)"
            )
        }
        if batch > maxReplicates {
            throw ValidationError("--batch (\(batch)) must not exceed --max-replicates (\(maxReplicates))")
        }
    }

    func run() throws {
        let checkOptions = CheckOptions(batch: batch, maxReplicates: maxReplicates)
        let (results, scenarioName, seed) = try CommandFailure.reporting {
            () -> ([CheckResult], String, UInt64) in
            let scenario = try ScenarioValidation.load(path: scenario)
            guard !scenario.checks.isEmpty else {
                throw StatisticsError(
                    "\(self.scenario): the scenario has no `checks:` to evaluate (add e.g. `checks: [{persona: P, champion_is_true_best_by_day: D, min_probability: 0.9}]`)"
                )
            }
            let lastDay = scenario.checks.map(\.championIsTrueBestByDay).max() ?? 0
            if let horizon = options.horizon, horizon <= lastDay {
                throw ValidationError("--horizon \(horizon) ends before the last checked day \(lastDay)")
            }
            var plan = try ExperimentPlan(
                scenario: scenario, sweep: false, replicates: maxReplicates, seed: options.seed,
                horizonDays: options.horizon ?? lastDay + 1, scale: options.scale, overrides: try overrides.parsed())
            FeasibilityOutput.print(Feasibility.warnings(for: plan, fileChecks: scenario.checks))
            let store = options.store.flatMap(StoreKind.init(rawValue:)) ?? .memory
            let started = Date()
            let bar = ProgressBar(label: "check", quiet: options.quiet)
            let (results, outcomes) = try CheckEvaluator.run(
                plan: plan, options: checkOptions, run: RunOptions(store: store, threads: options.threads),
                progress: { bar.update($0, $1) })
            bar.finish()
            if let out {
                plan.replicates = outcomes.count
                let experiment = ExperimentResults(plan: plan, outcomes: outcomes)
                let manifest = ResultWriter.manifest(
                    experiment, store: store, threads: options.threads, started: started)
                try ResultWriter.write(
                    experiment, to: try OutputFolder(path: out), manifest: manifest,
                    confidence: options.confidenceTarget.confidence, figures: options.figureOptions.choice)
            }
            return (results, plan.scenario.name, plan.scenario.seed)
        }
        let looks = checkOptions.looks
        print(
            "rule: a look after every \(batch) replicates up to \(maxReplicates) (\(looks.count) looks); each look's interval is Clopper–Pearson at \(Format.fixed(100 * looks.level, 3))% = 1 − 5%/\(looks.count) (Bonferroni: all looks hold together with ≥ 95% confidence); PASS when lower ≥ required, FAIL when upper < required"
        )
        var table = TableFormatter(columns: [
            .init("persona", decimals: nil), .init("day", decimals: nil), .init("required"),
            .init("verdict", decimals: nil), .init("replicates", decimals: nil), .init("correct", decimals: nil),
            .init("estimate"), .init("lower", decimals: 4), .init("upper", decimals: 4),
        ])
        for r in results {
            let estimate: TableFormatter.Cell = r.estimate.map { .real($0) } ?? .missing
            let lower: TableFormatter.Cell = r.interval.map { .real($0.lower) } ?? .missing
            let upper: TableFormatter.Cell = r.interval.map { .real($0.upper) } ?? .missing
            let row: [TableFormatter.Cell] = [
                .text(r.persona), .integer(r.day), .real(r.required), .text(r.passed ? "PASS" : "FAIL"),
                .integer(r.replicates), .integer(r.correct), estimate, lower, upper,
            ]
            table.append(row)
        }
        print(table.text(), terminator: "")
        for r in results {
            if let message = JUnitReport.failureMessage(r) { print("FAIL \(r.persona) day \(r.day): \(message)") }
        }
        let failed = results.filter { !$0.passed }.count
        print(failed == 0 ? "all \(results.count) check(s) passed" : "\(failed) of \(results.count) check(s) failed")
        if let junit {
            let report = JUnitReport(
                suite: scenarioName, results: results,
                properties: [
                    ("scenario", scenario), ("seed", String(seed)), ("batch", String(batch)),
                    ("max_replicates", String(maxReplicates)), ("looks", String(looks.count)),
                    ("per_look_level", Format.number(looks.level)), ("alpha", "0.05"),
                    ("rule", "Clopper-Pearson at 1 - alpha/looks per look (Bonferroni over the planned looks)"),
                ])
            try CommandFailure.reporting { try OutputFolder.writeFile(junit, report.text) }
        }
        if failed > 0 { throw LabExit.checkFailed }
    }
}
