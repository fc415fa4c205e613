import ArgumentParser
import Experiments
import Foundation
import Reports
import Scenarios

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario: the complete engine against synthetic users, day by day.",
        discussion: """
            Runs the scenario's base settings (its sweep, if any, is ignored: use `sweep`) for R replicates and \
            writes scenario.yaml, manifest.json, daily.csv, replicates.csv, configs.csv, health.csv, \
            comparison.csv, summary.json and report.md to the results folder (default \
            results/<scenario-name>/<UTC time>-s<seed>), plus engine.sqlite with the SQLite store. \
            Feasibility warnings (settings that cannot work for the scenario, see the README) go to stderr as \
            `warning: path: message` and do not change the exit code.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Results folder (default: results/<scenario-name>/<UTC time>-s<seed>).")
    var out: String?

    @Option(
        name: .customLong("export-users"),
        help: ArgumentHelp(
            "Also write the per-user ground truth to this CSV file: one row per simulated user of every replicate (persona and inferred persona, flow shown, mode, latent draws, own probabilities, outcomes and the counterfactual outcome under every flow). Columns: README \"Per-user ground truth\". An existing file needs --force.",
            valueName: "file"))
    var exportUsers: String?

    @OptionGroup var options: ExperimentOptions
    @OptionGroup var overrides: SettingOverrides
    @OptionGroup var folderOptions: ResultFolderOptions

    func run() throws {
        try CommandFailure.reporting {
            let scenario = try ScenarioValidation.load(path: scenario)
            let plan = try ExperimentPlan(
                scenario: scenario, sweep: false, replicates: options.replicates, seed: options.seed,
                horizonDays: options.horizon,
                scale: options.scale, overrides: try overrides.parsed())
            try Execution.runAndWrite(
                plan: plan, options: options, out: out, folderOptions: folderOptions, label: "run",
                warnings: Feasibility.warnings(for: plan, fileChecks: scenario.checks), exportUsers: exportUsers)
        }
    }
}

/// Running a plan and writing its folder: shared by run and sweep.
enum Execution {
    /// Prints `warnings` (feasibility) to stderr first; summary.json and report.md list the plan's.
    static func runAndWrite(
        plan: ExperimentPlan, options: ExperimentOptions, out: String?, folderOptions: ResultFolderOptions,
        label: String, shard: Shard? = nil, warnings: [FeasibilityWarning], exportUsers: String? = nil
    ) throws {
        FeasibilityOutput.print(warnings)
        let store = options.storeKind(for: plan)
        let keep = store == .sqlite && (options.keepDatabases || plan.tasks.count == 1)
        let identity =
            [
                plan.scenario.resolvedYAML(), "label: \(label)", "scale: \(plan.scale)", "store: \(store.rawValue)",
                "keep_databases: \(keep)", "shard: \(shard?.description ?? "none")",
                "confidence: \(options.confidenceTarget.confidence)",
            ].joined(separator: "\n") + (exportUsers == nil ? "" : "\nexport_users: yes")
        if let exportUsers {
            try UserExport.check(file: exportUsers, force: folderOptions.force, resuming: folderOptions.resume != nil)
        }
        let target = try ResultTarget(
            out: out, defaultOut: ResultWriter.defaultFolder(scenario: plan.scenario, seed: plan.scenario.seed),
            options: folderOptions, identity: identity)
        let folder = target.folder
        if options.verbose {
            StandardError.write(
                "\(label): \(plan.scenario.name), \(plan.configurations.count) configuration(s) × \(plan.replicates) replicate(s), \(plan.horizonDays) days, store \(store.rawValue), \(options.threads) thread(s) → \(folder.path)"
            )
        }
        let started = Date()
        let bar = ProgressBar(label: label, quiet: options.quiet)
        var runOptions = RunOptions(
            store: store, threads: options.threads, databaseDirectory: keep ? folder.path : nil, shard: shard)
        runOptions.completed = target.completed
        runOptions.onFinish = { try target.checkpoint($0) }
        let export = try exportUsers.map { file in
            try UserExport(
                file: file, world: plan.configurations[0].simulation.world, completed: target.completed.map(\.item),
                resuming: folderOptions.resume != nil)
        }
        if let export {
            let names = plan.configurations.map(\.name)
            runOptions.userSink = { item in try export.sink(item, config: names[item.config]) }
        }
        let outcomes = try ExperimentRunner.run(
            plan,
            options: runOptions,
            progress: { bar.update($0, $1) })
        bar.finish()
        let results = ExperimentResults(plan: plan, outcomes: outcomes)
        let users = results.users
        let manifest = ResultWriter.manifest(
            results, store: store, threads: options.threads, shard: shard, started: started)
        try ResultWriter.write(
            results, to: folder, manifest: nil, analysis: shard == nil,
            confidence: options.confidenceTarget.confidence, figures: options.figureOptions.choice)
        try export?.join(items: outcomes.map(\.item))
        try target.finish(manifest: manifest)
        export?.removeFragments()
        let seconds = Date().timeIntervalSince(started)
        if !options.quiet {
            StandardError.write(
                String(
                    format: "%@: %d users in %.1f s (%.0f users/s) → %@", label, users, seconds,
                    Double(users) / max(seconds, 1e-9), target.finalPath))
        }
        print(target.finalPath)
    }
}
