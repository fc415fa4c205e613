import Experiments
import Scenarios
import Testing

/// Time to confidence, summaries that respect their metric, and the recommendation (issue "Decisions").
@Suite("Decisions")
struct DecisionTests {
    static func daily(_ correct: [[Bool]], config: String = "c0") -> [DailyRow] {
        // correct[day][replicate]
        correct.enumerated().flatMap { day, replicates in
            replicates.enumerated().map { r, ok in
                DailyRow(
                    config: config, replicate: r, day: day, persona: "p", signups: 10, explore: 0, exploit: 10,
                    holdback: 0, championFlow: ok ? "B" : "A", trueBestFlow: "B", championCorrect: ok,
                    activationRate: nil, regret: 0, cumulativeRegret: 0, patterns: 2, rollbacks: 0, jobFailed: false)
            }
        }
    }

    @Test func timeToConfidenceIsTheStartOfTheRunThatHoldsToTheHorizon() throws {
        let all = [true, true, true, true]
        let three = [true, true, true, false]
        let none = [false, false, false, false]
        let rows = Self.daily([none, all, three, all, all, all])
        let strict = try #require(try TimeToConfidence.compute(rows, target: 0.95).first)
        #expect(strict.day == 3 && strict.evaluatedDay == 3 && strict.correct == 4 && strict.replicates == 4)
        #expect(strict.interval.upper == 1 && strict.interval.lower > 0.4)
        let loose = try #require(try TimeToConfidence.compute(rows, target: 0.7).first)
        #expect(loose.day == 1, "0.75 on day 2 holds a 0.7 target")
        let lost = try #require(try TimeToConfidence.compute(Self.daily([all, all, three]), target: 0.95).first)
        #expect(lost.day == nil && lost.evaluatedDay == 2 && lost.estimate == 0.75)
    }

    /// Replicate rows of three configurations: c1 cuts regret by 25% but converges 10 days later, c2 cuts it by
    /// 12.5%; c0 is the baseline. Rollbacks are mostly zero (a skewed, non-negative metric).
    static func rows() -> [ReplicateRow] {
        var rows: [ReplicateRow] = []
        for r in 0..<12 {
            let noise = Double(r % 3)
            for (config, regret, day, k) in [("c0", 400.0, 20, 1), ("c1", 300.0, 30, 2), ("c2", 350.0, 20, 3)] {
                let jitter = Double((r * k) % 5)
                for persona in ["p", "ALL"] {
                    rows.append(
                        ReplicateRow(
                            config: config, replicate: r, persona: persona, users: 1000,
                            cumulativeRegret: regret + noise + jitter + Double(r),
                            regretPerUser: (regret + jitter) / 1000,
                            activationRate: 0.5, retentionRate: 0.3, upgradeRate: 0.05,
                            finalChampionCorrect: persona == "ALL" ? nil : r != 0,
                            firstCorrectDay: r == 11 ? nil : day + r % 2, championChanges: 1,
                            rollbacks: r == 5 ? 3 : 0, failedJobs: 0, patterns: 3))
                }
            }
        }
        return rows
    }

    static let configs = ConfigTable(
        paths: ["engine.epsilon"],
        configs: [
            .init(name: "c0", values: ["engine.epsilon": .number(0.2)]),
            .init(name: "c1", values: ["engine.epsilon": .number(0.1)]),
            .init(name: "c2", values: ["engine.epsilon": .number(0.3)]),
        ], baseline: "c0")

    @Test func summariesCensorFirstCorrectDayAndNeverGoNegative() throws {
        let summaries = try Summaries.summarize(Self.rows(), configs: Self.configs, horizonDays: 60)
        let c0 = try #require(summaries.first { $0.config == "c0" && $0.persona == "p" })
        let rollbacks = try #require(c0.metric(.rollbacks))
        #expect(rollbacks.interval.lower >= 0 && rollbacks.method == .bootstrapPercentile)
        let first = try #require(c0.metric(.firstCorrectDay))
        // 11 replicates converge on day 20 or 21 (alternating), the 12th counts as the horizon 60.
        #expect(first.n == 12 && first.converged == 11)
        #expect(abs(first.mean - (Double(6 * 20 + 5 * 21) + 60) / 12) < 1e-12)
        #expect(summaries.allSatisfy { $0.metrics.allSatisfy { $0.interval.lower >= 0 } })
    }

    @Test func recommendationChoosesTheLowestRegretAndStatesItsCosts() throws {
        let rows = Self.rows()
        let comparisons = Comparisons.compare(rows, configs: Self.configs, horizonDays: 60)
        let summaries = try Summaries.summarize(rows, configs: Self.configs, horizonDays: 60)
        let r = Recommendation(comparisons: comparisons, summaries: summaries, configs: Self.configs)
        #expect(r.recommended == "c1" && r.beatsBaseline)
        #expect(r.gains.contains { $0.metric == .cumulativeRegret && $0.persona == "ALL" && $0.verdict == .better })
        let cost = try #require(r.costs.first { $0.metric == .firstCorrectDay && $0.persona == "p" })
        #expect(cost.verdict == .worse && cost.estimate > 9 && cost.estimate < 11)
        // Ordered by relative size: c1's +10 days on ~25 is larger than its −25% regret, which beats c2's −12.5%.
        let sizes = r.findings.map { abs($0.relative ?? $0.estimate) }
        #expect(sizes == sizes.sorted(by: >))
        #expect(r.findings.first?.metric == .firstCorrectDay)
        #expect(r.findings.contains { $0.config == "c2" && $0.metric == .cumulativeRegret })
        let best = try #require(r.best.first { $0.persona == "ALL" && $0.metric == .cumulativeRegret })
        #expect(best.config == "c1" && best.significant)
    }

    @Test func keepsTheBaselineWhenNothingIsBetter() throws {
        let rows = Self.rows().filter { $0.config == "c0" }
        let copies = rows.map { row -> ReplicateRow in
            var copy = row
            copy.config = "c1"
            return copy
        }
        let configs = ConfigTable(
            paths: Self.configs.paths, configs: Array(Self.configs.configs.prefix(2)), baseline: "c0")
        let all = rows + copies
        let r = Recommendation(
            comparisons: Comparisons.compare(all, configs: configs, horizonDays: 60),
            summaries: try Summaries.summarize(all, configs: configs, horizonDays: 60), configs: configs)
        #expect(r.recommended == "c0" && !r.beatsBaseline && r.findings.isEmpty)
    }
}
