import Simulation
import Stochastics

/// One row of health.csv: allocation health of one configuration × replicate × day (SPEC §4).
///
/// Only users whose assignment an ε draw decided count (not holdback, and only while the persona had something
/// to explore, see `V4Engine.explorationApplies`); for them the explore share should be the effective ε. The
/// p-value is a chi-square goodness-of-fit test of (explore, exploit) against (ε·n, (1−ε)·n), the usual
/// sample-ratio-mismatch check (Fabijan et al., "Diagnosing Sample Ratio Mismatch", KDD 2019). Empty when no
/// user was eligible that day.
public struct HealthRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var day: Int
    public var users: Int
    public var explore: Int
    public var expectedShare: Double
    public var observedShare: Double?
    public var pValue: Double?

    public static let columns = [
        "config", "replicate", "day", "eligible_users", "explore", "expected_explore_share", "observed_explore_share",
        "srm_p_value",
    ]

    public init(config: String, replicate: Int, day: Int, users: Int, explore: Int, expectedShare: Double) {
        self.init(
            config: config, replicate: replicate, day: day, users: users, explore: explore,
            expectedShare: expectedShare,
            observedShare: users > 0 ? Double(explore) / Double(users) : nil,
            pValue: users > 0 ? Self.srm(explore: explore, users: users, share: expectedShare) : nil)
    }

    public init(
        config: String, replicate: Int, day: Int, users: Int, explore: Int, expectedShare: Double,
        observedShare: Double?, pValue: Double?
    ) {
        self.config = config
        self.replicate = replicate
        self.day = day
        self.users = users
        self.explore = explore
        self.expectedShare = expectedShare
        self.observedShare = observedShare
        self.pValue = pValue
    }

    static func srm(explore: Int, users: Int, share: Double) -> Double? {
        let n = Double(users)
        return try? HypothesisTests.chiSquareGoodnessOfFit(
            observed: [Double(explore), Double(users - explore)], expected: [share * n, (1 - share) * n]
        ).pValue
    }

    /// The health rows of a run, summed over personas per day.
    public static func rows(_ results: ExperimentResults) -> [HealthRow] {
        var out: [HealthRow] = []
        for o in results.outcomes {
            let name = results.plan.configurations[o.item.config].name
            var byDay: [Int: (users: Int, explore: Int, eps: Double)] = [:]
            for d in o.result.daily {
                var v = byDay[d.day] ?? (0, 0, d.effectiveEpsilon)
                v.users += d.epsilonUsers
                v.explore += d.epsilonExplore
                byDay[d.day] = v
            }
            for day in byDay.keys.sorted() {
                guard let v = byDay[day] else { continue }
                out.append(
                    HealthRow(
                        config: name, replicate: o.item.replicate, day: day, users: v.users, explore: v.explore,
                        expectedShare: v.eps))
            }
        }
        return out
    }
}

/// Allocation health pooled per configuration: all eligible users of all days and replicates in one
/// chi-square test, plus the share of days whose own test has p < 0.01 (about 1% under a healthy allocation).
public struct HealthSummary: Sendable, Equatable {
    public var config: String
    public var users: Int
    public var explore: Int
    public var expectedShare: Double
    public var pooledPValue: Double?
    public var daysTested: Int
    public var daysBelow001: Int

    /// Flagged when the pooled test rejects at 0.001.
    public var flagged: Bool { (pooledPValue ?? 1) < 0.001 }

    public static func summarize(_ rows: [HealthRow]) -> [HealthSummary] {
        var order: [String] = []
        var groups: [String: [HealthRow]] = [:]
        for r in rows {
            if groups[r.config] == nil { order.append(r.config) }
            groups[r.config, default: []].append(r)
        }
        return order.map { config in
            let g = groups[config] ?? []
            let users = g.reduce(0) { $0 + $1.users }
            let explore = g.reduce(0) { $0 + $1.explore }
            let share = g.first?.expectedShare ?? 0
            return HealthSummary(
                config: config, users: users, explore: explore, expectedShare: share,
                pooledPValue: users > 0 ? HealthRow.srm(explore: explore, users: users, share: share) : nil,
                daysTested: g.filter { $0.pValue != nil }.count,
                daysBelow001: g.filter { ($0.pValue ?? 1) < 0.01 }.count)
        }
    }
}
