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

    public init(objective: String, persona: String = "ALL", batch: Int, maxReplicates: Int, alpha: Double = 0.05) {
        self.objective = objective
        self.persona = persona
        self.batch = batch
        self.maxReplicates = maxReplicates
        self.alpha = alpha
    }

    /// Objectives where larger is better; the rest are minimised.
    public static let maximised = Set(Metric.allCases.filter { $0.biggerIsBetter == true }.map(\.rawValue))
    public static let objectives = Metric.allCases.map(\.rawValue)

    public var minimise: Bool { !Self.maximised.contains(objective) }
}

/// One elimination after a round.
public struct RacingDrop: Sendable, Equatable {
    public var config: String
    public var afterReplicates: Int
    public var versus: String
    public var pAdjusted: Double
}

/// The outcome of a race.
public struct RacingResult: Sendable {
    public var results: ExperimentResults
    public var winner: String
    public var runnerUp: String?
    public var drops: [RacingDrop]
    public var rounds: Int
    public var replicatesRun: Int
    public var fullGridReplicates: Int
    public var summaries: [String: MeanEstimate]
}

/// F-race-style racing (Birattari et al., "A racing algorithm for configuring metaheuristics", GECCO 2002),
/// with paired t-tests and Holm's correction in place of the Friedman test: every configuration still in the
/// race gets the next `batch` replicates (common random numbers: replicate r is the same users for all); the
/// configuration with the best mean objective leads; every other one is tested against the leader with a
/// paired t-test on their shared replicates, the p-values are Holm-adjusted, and those significantly worse are
/// dropped. The race ends when one configuration remains or the budget is spent.
public enum Racing {
    public static func race(
        plan: ExperimentPlan, options: RacingOptions, run: RunOptions,
        progress: (@Sendable (Int, Int) -> Void)? = nil, onRound: ((Int, [String], [RacingDrop]) -> Void)? = nil
    ) throws -> RacingResult {
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
            let values = objectiveValues(outcomes, plan: plan, options: options)
            if let empty = alive.first(where: { (values[$0] ?? [:]).isEmpty }) {
                throw StatisticsError(
                    "tune: configuration \(plan.configurations[empty].name) has no value of \(options.objective) for persona \(options.persona) (is the persona right, and does the metric exist for it?)"
                )
            }
            let leader = leaderIndex(alive, values: values, options: options)
            var candidates: [(config: Int, p: Double)] = []
            for c in alive where c != leader {
                let (x, y) = paired(values[c] ?? [:], values[leader] ?? [:])
                guard let t = try? HypothesisTests.pairedT(x, y) else { continue }
                // One-sided: is c worse than the leader? Halve the two-sided p when the difference points that way.
                let worse = options.minimise ? t.estimate > 0 : t.estimate < 0
                candidates.append((c, worse ? t.pValue / 2 : 1))
            }
            let adjusted = MultipleComparisons.holm(candidates.map(\.p))
            var roundDrops: [RacingDrop] = []
            for (candidate, p) in zip(candidates, adjusted) where p < options.alpha {
                roundDrops.append(
                    RacingDrop(
                        config: plan.configurations[candidate.config].name, afterReplicates: done,
                        versus: plan.configurations[leader].name, pAdjusted: p))
                alive.removeAll { $0 == candidate.config }
            }
            drops += roundDrops
            onRound?(done, alive.map { plan.configurations[$0].name }, roundDrops)
            if done >= options.maxReplicates { break }
        }
        let values = objectiveValues(outcomes, plan: plan, options: options)
        var summaries: [String: MeanEstimate] = [:]
        for c in plan.configurations.indices {
            let v = (values[c] ?? [:]).keys.sorted().compactMap { values[c]?[$0] }
            if let estimate = try? Intervals.tMean(v) { summaries[plan.configurations[c].name] = estimate }
        }
        /// Best first by mean objective; configurations without a mean last, then by index.
        func better(_ a: String, _ b: String) -> Bool {
            switch (summaries[a]?.mean, summaries[b]?.mean) {
            case (let ma?, let mb?) where ma != mb: return options.minimise ? ma < mb : ma > mb
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a < b
            }
        }
        let ranked = alive.map { plan.configurations[$0].name }.sorted(by: better)
        let winner = ranked.first ?? plan.configurations[leaderIndex(alive, values: values, options: options)].name
        // Runner-up: the best other configuration still racing, else the best of those dropped.
        let dropped = drops.map(\.config).sorted(by: better)
        let runnerUp = ranked.dropFirst().first ?? dropped.first
        return RacingResult(
            results: ExperimentResults(plan: plan, outcomes: outcomes), winner: winner,
            runnerUp: runnerUp,
            drops: drops, rounds: rounds, replicatesRun: outcomes.count,
            fullGridReplicates: plan.configurations.count * options.maxReplicates, summaries: summaries)
    }

    /// config index → replicate → objective value.
    static func objectiveValues(_ outcomes: [ReplicateOutcome], plan: ExperimentPlan, options: RacingOptions) -> [Int:
        [Int: Double]]
    {
        var values: [Int: [Int: Double]] = [:]
        for o in outcomes {
            guard let summary = o.result.summaries.first(where: { $0.persona == options.persona }) else { continue }
            let row = ReplicateRow(
                config: plan.configurations[o.item.config].name, replicate: o.item.replicate, summary: summary)
            if let v = row.value(options.objective, censoredAt: plan.horizonDays) {
                values[o.item.config, default: [:]][o.item.replicate] = v
            }
        }
        return values
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

/// Parses `tune --grid` values: `path=start:stop:step` (inclusive) or `path=v1,v2,…`.
public enum GridSpec {
    public static func axis(_ text: String) throws -> SweepAxis {
        guard let eq = text.firstIndex(of: "=") else {
            throw StatisticsError("--grid expects path=start:stop:step or path=v1,v2,…, found '\(text)'")
        }
        let path = String(text[..<eq])
        let spec = String(text[text.index(after: eq)...])
        guard Scenario.settingPaths.contains(path) else {
            throw StatisticsError(
                "--grid \(path): not a setting path; settings: \(Scenario.settingPaths.joined(separator: ", "))")
        }
        let parts = spec.split(separator: ":").map(String.init)
        if parts.count == 3 {
            guard let start = Double(parts[0]), let stop = Double(parts[1]), let step = Double(parts[2]), step > 0,
                stop >= start
            else {
                throw StatisticsError(
                    "--grid \(path): expected start:stop:step with step > 0 and stop ≥ start, found '\(spec)'")
            }
            let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
            guard count <= 1000 else {
                throw StatisticsError("--grid \(path): \(count) values is too many (at most 1000)")
            }
            let integral = [start, stop, step].allSatisfy { $0 == $0.rounded() }
            let values: [SettingValue] = (0..<count).map { i in
                let v = start + Double(i) * step
                return integral ? .integer(Int(v.rounded())) : .number((v * 1e12).rounded() / 1e12)
            }
            return SweepAxis(path: path, values: values)
        }
        let values = spec.split(separator: ",").map { SettingValue(parsing: String($0)) }
        guard !values.isEmpty else { throw StatisticsError("--grid \(path): no values") }
        return SweepAxis(path: path, values: values)
    }
}
