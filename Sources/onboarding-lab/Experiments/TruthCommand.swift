import ArgumentParser
import Experiments
import Scenarios
import Simulation

struct TruthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truth",
        abstract: "Show what the simulator knows: every flow's true rates and true score under the objective.",
        discussion: """
            Per persona × flow on one day: true 7-day activation, 30-day retention (marginal), upgrade, mean time \
            to first win (of the law truncated at 7 days), the true score under the scenario's `objective:` \
            (default 0.5 / 0.3 / 0.2, H 1440 min), its rank among the flows users can be presented that day \
            (1 = the true best; tied flows share a rank; flows not presentable that day are ranked after them), \
            the gap to the best, how users reach the flow (v3 default, candidate from day N, deviation target, or \
            unreachable) and the days on which drift changes it. The same table opens report.md. Exit codes: 0, \
            2 invalid scenario, 64 invalid usage.
            """)

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The simulated day (0 … horizon_days − 1; default 0). Drift entries up to this day apply.")
    var day: Int = 0

    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if day < 0 { throw ValidationError("--day must be at least 0, found \(day)") }
    }

    func run() throws {
        let rows = try CommandFailure.reporting { () -> [TruthRow] in
            let scenario = try ScenarioValidation.load(path: scenario)
            guard day < scenario.horizonDays else {
                throw ValidationError(
                    "--day \(day) is beyond the horizon: \(scenario.name) runs days 0 to \(scenario.horizonDays - 1)")
            }
            return try TruthTable.rows(scenario: scenario, day: day)
        }
        var table = TableFormatter(columns: [
            .init("persona", decimals: nil), .init("flow", decimals: nil), .init("steps", decimals: nil, maxWidth: 48),
            .init("activation_7d", decimals: 4), .init("retention_30d", decimals: 4), .init("upgrade", decimals: 4),
            .init("mean_time_to_first_win_minutes", decimals: 1), .init("true_score", decimals: 4),
            .init("rank", decimals: nil), .init("gap_to_best", decimals: 4), .init("reach", decimals: nil),
            .init("drift_days", decimals: nil),
        ])
        for row in rows {
            table.append([
                .text(row.persona), .text(row.flow), .text(row.steps.joined(separator: ">")), .real(row.activation7d),
                .real(row.retention30d), .real(row.upgrade), .real(row.meanTimeToFirstWinMinutes),
                .real(row.trueScore), .integer(row.rank), .real(row.gapToBest), .text(TruthTable.reach(row)),
                .text(row.driftDays.map(String.init).joined(separator: " ")),
            ])
        }
        print(format.render(table), terminator: format == .json ? "\n" : "")
    }
}
