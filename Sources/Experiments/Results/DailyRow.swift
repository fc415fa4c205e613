import Simulation

/// One row of daily.csv (SPEC §4): configuration × replicate × day × persona. Charts and `merge` work from these
/// rows, so a merged sweep draws the same charts as an unsharded one.
public struct DailyRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var day: Int
    public var persona: String
    public var signups: Int
    public var explore: Int
    public var exploit: Int
    public var holdback: Int
    public var championFlow: String
    public var trueBestFlow: String
    public var championCorrect: Bool
    public var activationRate: Double?
    public var regret: Double
    public var cumulativeRegret: Double
    public var patterns: Int
    public var rollbacks: Int
    public var jobFailed: Bool

    public static let columns = [
        "config", "replicate", "day", "persona", "signups", "explore", "exploit", "holdback", "champion_flow",
        "true_best_flow", "champion_correct", "activation_rate", "regret", "cumulative_regret", "patterns", "rollbacks",
        "job_failed",
    ]

    public init(
        config: String, replicate: Int, day: Int, persona: String, signups: Int, explore: Int, exploit: Int,
        holdback: Int,
        championFlow: String, trueBestFlow: String, championCorrect: Bool, activationRate: Double?, regret: Double,
        cumulativeRegret: Double, patterns: Int, rollbacks: Int, jobFailed: Bool
    ) {
        self.config = config
        self.replicate = replicate
        self.day = day
        self.persona = persona
        self.signups = signups
        self.explore = explore
        self.exploit = exploit
        self.holdback = holdback
        self.championFlow = championFlow
        self.trueBestFlow = trueBestFlow
        self.championCorrect = championCorrect
        self.activationRate = activationRate
        self.regret = regret
        self.cumulativeRegret = cumulativeRegret
        self.patterns = patterns
        self.rollbacks = rollbacks
        self.jobFailed = jobFailed
    }

    public init(config: String, replicate: Int, record d: DailyRecord) {
        self.init(
            config: config, replicate: replicate, day: d.day, persona: d.persona, signups: d.signups,
            explore: d.explore,
            exploit: d.exploit, holdback: d.holdback, championFlow: d.championFlow, trueBestFlow: d.trueBestFlow,
            championCorrect: d.championCorrect, activationRate: d.activationRate, regret: d.regret,
            cumulativeRegret: d.cumulativeRegret, patterns: d.patterns, rollbacks: d.rollbacks, jobFailed: d.jobFailed)
    }
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
