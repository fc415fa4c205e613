import Scenarios
import Stochastics

/// Options of `tune`'s racing (SPEC §3).
public struct RacingOptions: Sendable {
    /// A replicates.csv metric.
    public var objective: String
    /// The persona whose row is compared (`ALL` by default).
    public var persona: String
    /// Replicates added per round to every configuration still in the race.
    public var batch: Int
    /// The budget: no configuration runs more replicates than this.
    public var maxReplicates: Int
    /// Family-wise level of the Holm-adjusted paired t-tests that drop configurations.
    public var alpha: Double
    /// `--require`: bounds a configuration's mean must meet to lead or win.
    public var constraints: [MetricConstraint]

    public init(
        objective: String, persona: String = "ALL", batch: Int, maxReplicates: Int, alpha: Double = 0.05,
        constraints: [MetricConstraint] = []
    ) {
        self.objective = objective
        self.persona = persona
        self.batch = batch
        self.maxReplicates = maxReplicates
        self.alpha = alpha
        self.constraints = constraints
    }

    /// Objectives where larger is better; the rest are minimised.
    public static let maximised = Set(Metric.allCases.filter { $0.biggerIsBetter == true }.map(\.rawValue))
    public static let objectives = Metric.allCases.map(\.rawValue)
    /// Metrics with no `ALL` row (champions are per persona).
    public static let perPersonaOnly = Set(Metric.allCases.filter { !$0.appliesToAll }.map(\.rawValue))

    public var minimise: Bool { !Self.maximised.contains(objective) }
}

/// One elimination after a round.
public struct RacingDrop: Sendable, Equatable {
    public var config: String
    public var afterReplicates: Int
    /// The leader it was significantly worse than; nil when it was dropped for violating `violated`.
    public var versus: String?
    /// The `--require` it significantly violates (one-sided one-sample t-test against the bound).
    public var violated: MetricConstraint?
    public var pAdjusted: Double
}

/// Whether the winner is significantly better than the runner-up, by the race's own test.
public struct RacingSeparation: Sendable, Equatable {
    /// The runner-up was dropped (Holm-adjusted one-sided paired t-test below α).
    public var significant: Bool
    /// The runner-up's Holm-adjusted p-value against the winner; nil when the test was not possible (identical
    /// values on every shared replicate, or fewer than two shared replicates).
    public var pAdjusted: Double?
    /// The winner and every configuration still in the race and meeting the constraints (not significantly worse
    /// than the winner), best first.
    public var tied: [String]
    /// Of `tied`, the configuration closest to the base settings (``ExperimentPlan/distanceToBase(_:)``).
    public var closestToCurrent: String?
}

/// The outcome of a race.
public struct RacingResult: Sendable {
    public var results: ExperimentResults
    /// nil when no configuration meets the constraints.
    public var winner: String?
    public var runnerUp: String?
    public var separation: RacingSeparation
    /// Configurations whose mean misses a `--require` at the end (name → the constraints missed).
    public var infeasible: [String: [MetricConstraint]]
    public var drops: [RacingDrop]
    public var rounds: Int
    public var replicatesRun: Int
    public var fullGridReplicates: Int
    public var summaries: [String: MeanEstimate]
}

/// F-race-style racing (Birattari et al., "A racing algorithm for configuring metaheuristics", GECCO 2002),
/// with paired t-tests and Holm's correction in place of the Friedman test: every configuration still in the
/// race gets the next `batch` replicates (common random numbers: replicate r is the same users for all); the
/// configuration with the best mean objective among those whose means meet every `--require` leads; every other
/// one is tested against the leader with a one-sided paired t-test on their shared replicates, and every
/// configuration against each `--require` bound with a one-sided one-sample t-test; the round's p-values are
/// Holm-adjusted together and those significant at α are dropped. The race ends when one configuration remains or
/// the budget is spent. The winner is the best remaining configuration whose means meet the constraints; it is
/// significantly better than the runner-up when the runner-up was dropped, otherwise the remaining configurations
/// are statistically tied and the one closest to the base settings is named.
public enum Racing {
    public static func race(
        plan: ExperimentPlan, options: RacingOptions, run: RunOptions,
        progress: (@Sendable (Int, Int) -> Void)? = nil, onRound: ((Int, [String], [RacingDrop]) -> Void)? = nil
    ) throws -> RacingResult {
        let names = plan.configurations.map(\.name)
        var alive = Array(plan.configurations.indices)
        var outcomes: [ReplicateOutcome] = []
        var drops: [RacingDrop] = []
        var done = 0
        var rounds = 0
        while done < options.maxReplicates && alive.count > 1 || done == 0 {
            let next = min(options.maxReplicates, done + options.batch)
            let items = alive.flatMap { c in (done..<next).map { WorkItem(config: c, replicate: $0) } }
            var runOptions = run
            runOptions.items = items
            outcomes += try ExperimentRunner.run(plan, options: runOptions, progress: progress)
            done = next
            rounds += 1
            let table = try RacingMetricTable(outcomes: outcomes, plan: plan, options: options)
            if let empty = alive.first(where: { table.objective[$0, default: [:]].isEmpty }) {
                throw StatisticsError(
                    "tune: configuration \(names[empty]) has no value of \(options.objective) for persona \(options.persona) (is the persona right, and does the metric exist for it?)"
                )
            }
            let feasible = alive.filter { table.missed($0).isEmpty }
            let leader = leaderIndex(feasible.isEmpty ? alive : feasible, values: table.objective, options: options)
            var hypotheses: [(config: Int, p: Double, violated: MetricConstraint?)] = []
            // With no configuration meeting the constraints there is no leader to be worse than: only the
            // constraint tests run.
            for c in alive where c != leader && !feasible.isEmpty {
                let p = worseP(
                    table.objective[c, default: [:]], than: table.objective[leader, default: [:]], options: options)
                if let p { hypotheses.append((c, p, nil)) }
            }
            for c in alive {
                for constraint in options.constraints {
                    for series in table.series(c, constraint) {
                        if let p = violationP(series, constraint) { hypotheses.append((c, p, constraint)) }
                    }
                }
            }
            let adjusted = MultipleComparisons.holm(hypotheses.map(\.p))
            var roundDrops: [RacingDrop] = []
            for (h, p) in zip(hypotheses, adjusted) where p < options.alpha && alive.contains(h.config) {
                roundDrops.append(
                    RacingDrop(
                        config: names[h.config], afterReplicates: done, versus: h.violated == nil ? names[leader] : nil,
                        violated: h.violated, pAdjusted: p))
                alive.removeAll { $0 == h.config }
            }
            drops += roundDrops
            onRound?(done, alive.map { names[$0] }, roundDrops)
            if done >= options.maxReplicates || alive.isEmpty { break }
        }
        let table = try RacingMetricTable(outcomes: outcomes, plan: plan, options: options)
        var summaries: [String: MeanEstimate] = [:]
        for c in plan.configurations.indices {
            let v = table.objective[c, default: [:]].keys.sorted().compactMap { table.objective[c]?[$0] }
            if let estimate = try? Intervals.tMean(v) { summaries[names[c]] = estimate }
        }
        var infeasible: [String: [MetricConstraint]] = [:]
        for c in plan.configurations.indices where !table.missed(c).isEmpty { infeasible[names[c]] = table.missed(c) }
        /// Best first by mean objective; configurations without a mean last, then by index.
        func better(_ a: Int, _ b: Int) -> Bool {
            switch (summaries[names[a]]?.mean, summaries[names[b]]?.mean) {
            case (let ma?, let mb?) where ma != mb: return options.minimise ? ma < mb : ma > mb
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a < b
            }
        }
        let eligible = alive.filter { infeasible[names[$0]] == nil }.sorted(by: better)
        let winner = eligible.first
        // Runner-up: the best other eligible configuration still racing, else the best of those dropped for being
        // worse than a leader.
        let droppedWorse = drops.filter { $0.versus != nil }.compactMap { d in names.firstIndex(of: d.config) }
        let runnerUp = winner == nil ? nil : eligible.dropFirst().first ?? droppedWorse.sorted(by: better).first
        var separation = RacingSeparation(significant: false, pAdjusted: nil, tied: [], closestToCurrent: nil)
        if let winner {
            let others = Array(eligible.dropFirst())
            let tested = others.compactMap { c in
                worseP(table.objective[c, default: [:]], than: table.objective[winner, default: [:]], options: options)
                    .map { (config: c, p: $0) }
            }
            let adjusted = Dictionary(
                uniqueKeysWithValues: zip(tested.map(\.config), MultipleComparisons.holm(tested.map(\.p))))
            let tied = [winner] + others.filter { !((adjusted[$0] ?? 1) < options.alpha) }
            separation.tied = tied.map { names[$0] }
            separation.closestToCurrent = plan.closestToBase(among: tied).map { names[$0] }
            if let runnerUp {
                if others.contains(runnerUp) {
                    separation.pAdjusted = adjusted[runnerUp]
                    separation.significant = (adjusted[runnerUp] ?? 1) < options.alpha
                } else if let drop = drops.first(where: { $0.config == names[runnerUp] }) {
                    separation.pAdjusted = drop.pAdjusted
                    separation.significant = true
                }
            }
        }
        return RacingResult(
            results: ExperimentResults(plan: plan, outcomes: outcomes), winner: winner.map { names[$0] },
            runnerUp: runnerUp.map { names[$0] }, separation: separation, infeasible: infeasible,
            drops: drops, rounds: rounds, replicatesRun: outcomes.count,
            fullGridReplicates: plan.configurations.count * options.maxReplicates, summaries: summaries)
    }

    /// One-sided p-value that `candidate` is worse than `leader` (paired t-test on shared replicates; the two-sided
    /// p halved when the difference points that way, else 1). nil when no test is possible (fewer than two pairs,
    /// or identical differences), so the hypothesis stays out of the Holm family.
    static func worseP(_ candidate: [Int: Double], than leader: [Int: Double], options: RacingOptions) -> Double? {
        let (x, y) = paired(candidate, leader)
        guard let t = try? HypothesisTests.pairedT(x, y) else { return nil }
        let worse = options.minimise ? t.estimate > 0 : t.estimate < 0
        return worse ? t.pValue / 2 : 1
    }

    /// One-sided p-value that the mean of `values` violates `constraint` (one-sample t-test against the bound,
    /// as a paired test against a constant). nil when no test is possible (fewer than two values, or all equal).
    static func violationP(_ values: [Double], _ constraint: MetricConstraint) -> Double? {
        guard let t = try? HypothesisTests.pairedT(values, Array(repeating: constraint.value, count: values.count))
        else { return nil }
        let violates = constraint.bound == .atLeast ? t.estimate < 0 : t.estimate > 0
        return violates ? t.pValue / 2 : 1
    }

    static func paired(_ a: [Int: Double], _ b: [Int: Double]) -> ([Double], [Double]) {
        var x: [Double] = []
        var y: [Double] = []
        for r in a.keys.sorted() {
            guard let va = a[r], let vb = b[r] else { continue }
            x.append(va)
            y.append(vb)
        }
        return (x, y)
    }

    static func leaderIndex(_ alive: [Int], values: [Int: [Int: Double]], options: RacingOptions) -> Int {
        func mean(_ c: Int) -> Double {
            let v = Array((values[c] ?? [:]).values)
            return v.isEmpty ? (options.minimise ? .infinity : -.infinity) : v.reduce(0, +) / Double(v.count)
        }
        return alive.min { a, b in
            let (ma, mb) = (mean(a), mean(b))
            if ma == mb { return a < b }
            return options.minimise ? ma < mb : ma > mb
        } ?? 0
    }
}
