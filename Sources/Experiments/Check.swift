import Scenarios
import Stochastics

/// How `check` decides (SPEC §3): replicates in batches, a confidence sequence over the planned looks.
public struct CheckOptions: Sendable, Equatable {
    /// Replicates added between two looks.
    public var batch: Int
    /// The last look: no check runs more replicates than this.
    public var maxReplicates: Int
    /// The error over all looks of one check (both directions together).
    public var alpha: Double

    public static let defaultBatch = 20
    public static let defaultMaxReplicates = 400
    public static let batchRange = 1...10_000
    public static let maxReplicatesRange = 1...100_000

    public init(batch: Int = defaultBatch, maxReplicates: Int = defaultMaxReplicates, alpha: Double = 0.05) {
        self.batch = batch
        self.maxReplicates = maxReplicates
        self.alpha = alpha
    }

    /// The sequential test of one check.
    public func test(_ check: Check) throws -> SequentialProportionTest {
        try SequentialProportionTest(
            threshold: check.minProbability, batch: min(batch, maxReplicates), maxTrials: maxReplicates, alpha: alpha)
    }

    /// The planned looks and the level of each look's interval.
    public var looks: (count: Int, level: Double) {
        let batch = min(batch, maxReplicates)
        let count = (maxReplicates + batch - 1) / batch
        return (count, 1 - alpha / Double(count))
    }
}

/// What `check` concluded about one `checks:` entry.
public enum CheckDecision: String, Sendable, Equatable {
    /// The lower confidence bound reached min_probability.
    case pass
    /// The upper confidence bound fell below min_probability.
    case fail
    /// Neither happened by `--max-replicates` (a failure for the exit code).
    case undecided
    /// Even all `--max-replicates` replicates correct could not show min_probability; not run.
    case cannotPass
}

/// The verdict on one `checks:` entry (SPEC §3).
public struct CheckResult: Sendable, Equatable {
    public var persona: String
    public var day: Int
    public var required: Double
    public var decision: CheckDecision
    /// Replicates used for the decision (0 when the check cannot pass).
    public var replicates: Int
    public var correct: Int
    /// correct / replicates; nil when nothing ran.
    public var estimate: Double?
    /// The look's confidence interval of P(champion = true best on `day`); nil when nothing ran.
    public var interval: Interval?
    /// The best lower bound `maxReplicates` replicates could give (all correct).
    public var bestLowerBound: Double

    public var passed: Bool { decision == .pass }
}

/// Evaluates a scenario's checks sequentially: P(champion = true best on day D) over replicates, looked at after
/// every batch with ``SequentialProportionTest`` (Clopper–Pearson intervals at level 1 − α/K over the K planned
/// looks). A check is decided at its first decisive look; replicate r is the same replicate r a plain run
/// simulates, so the verdicts depend only on the scenario and seed.
public enum CheckEvaluator {
    /// The verdict of `check` given whether the champion was correct in replicates 0, 1, … (in replicate order):
    /// the first decisive planned look within `correct.count`, else the last complete look (undecided).
    public static func verdict(_ check: Check, correct: [Bool], options: CheckOptions) throws -> CheckResult {
        let test = try options.test(check)
        let best = try test.bestLowerBound
        var result = CheckResult(
            persona: check.persona, day: check.championIsTrueBestByDay, required: check.minProbability,
            decision: .undecided, replicates: 0, correct: 0, estimate: nil, interval: nil, bestLowerBound: best)
        guard best >= check.minProbability else {
            result.decision = .cannotPass
            return result
        }
        var successes = 0
        var seen = 0
        for n in test.lookSizes where n <= correct.count {
            successes += correct[seen..<n].filter { $0 }.count
            seen = n
            result.replicates = n
            result.correct = successes
            result.estimate = Double(successes) / Double(n)
            result.interval = try test.interval(successes: successes, trials: n)
            switch try test.decision(successes: successes, trials: n) {
            case .pass: result.decision = .pass
            case .fail: result.decision = .fail
            case .undecided: result.decision = .undecided
            }
            if result.decision != .undecided { break }
        }
        return result
    }

    /// Whether the champion was correct on the check's day, per replicate in replicate order (one configuration).
    public static func correctness(_ check: Check, outcomes: [ReplicateOutcome]) throws -> [Bool] {
        try outcomes.sorted { $0.item < $1.item }.map { outcome in
            guard
                let record = outcome.result.daily.first(where: {
                    $0.persona == check.persona && $0.day == check.championIsTrueBestByDay
                })
            else {
                throw StatisticsError(
                    "check on \(check.persona) day \(check.championIsTrueBestByDay): no simulated day \(check.championIsTrueBestByDay) (is the horizon shorter?)"
                )
            }
            return record.championCorrect
        }
    }

    /// Runs the plan's first configuration in batches until every check is decided or `maxReplicates` is reached.
    /// Returns the verdicts (in the scenario's order) and every replicate run.
    public static func run(
        plan: ExperimentPlan, options: CheckOptions, run: RunOptions,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> (results: [CheckResult], outcomes: [ReplicateOutcome]) {
        let checks = plan.scenario.checks
        var outcomes: [ReplicateOutcome] = []
        var results = try checks.map { try verdict($0, correct: [], options: options) }
        let sizes = try SequentialProportionTest(
            threshold: 0, batch: min(options.batch, options.maxReplicates), maxTrials: options.maxReplicates
        ).lookSizes
        var done = 0
        for n in sizes {
            let open = results.filter { $0.decision == .undecided }
            guard !open.isEmpty else { break }
            var runOptions = run
            runOptions.items = (done..<n).map { WorkItem(config: 0, replicate: $0) }
            outcomes += try ExperimentRunner.run(plan, options: runOptions, progress: progress)
            done = n
            for (i, check) in checks.enumerated() where results[i].decision == .undecided {
                results[i] = try verdict(check, correct: try correctness(check, outcomes: outcomes), options: options)
            }
        }
        return (results, outcomes)
    }
}
