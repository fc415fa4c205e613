import Simulation

/// One row of daily.csv (SPEC §4): configuration × replicate × day × persona. Charts and `merge` work from these
/// rows, so a merged sweep draws the same charts as an unsharded one.
///
/// The row is the simulator's ``DailyRecord`` with its configuration and replicate; its fields read through
/// (`row.cumulativeRegret`). A row parsed back from daily.csv carries zeros in the record fields the CSV does not
/// hold (activation regret and the allocation-health counts, which have files of their own).
@dynamicMemberLookup
public struct DailyRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var record: DailyRecord

    public static let columns = [
        "config", "replicate", "day", "persona", "signups", "explore", "exploit", "holdback", "champion_flow",
        "true_best_flow", "champion_correct", "activation_rate", "regret", "cumulative_regret", "patterns", "rollbacks",
        "job_failed",
    ]

    public init(config: String, replicate: Int, record: DailyRecord) {
        self.config = config
        self.replicate = replicate
        self.record = record
    }

    /// A row from the values of daily.csv.
    public init(
        config: String, replicate: Int, day: Int, persona: String, signups: Int, explore: Int, exploit: Int,
        holdback: Int, championFlow: String, trueBestFlow: String, championCorrect: Bool, activationRate: Double?,
        regret: Double, cumulativeRegret: Double, patterns: Int, rollbacks: Int, jobFailed: Bool
    ) {
        self.init(
            config: config, replicate: replicate,
            record: DailyRecord(
                day: day, persona: persona, signups: signups, explore: explore, exploit: exploit, holdback: holdback,
                championFlow: championFlow, trueBestFlow: trueBestFlow, championCorrect: championCorrect,
                activationRate: activationRate, regret: regret, cumulativeRegret: cumulativeRegret, activationRegret: 0,
                patterns: patterns, rollbacks: rollbacks, jobFailed: jobFailed, epsilonUsers: 0, epsilonExplore: 0,
                effectiveEpsilon: 0))
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<DailyRecord, Value>) -> Value { record[keyPath: keyPath] }
}

extension ExperimentResults {
    /// daily.csv rows, in output order.
    public var dailyRows: [DailyRow] {
        outcomes.flatMap { o in
            o.result.daily.map {
                DailyRow(config: plan.configurations[o.item.config].name, replicate: o.item.replicate, record: $0)
            }
        }
    }
}
