/// One row of the truth table: what the oracle knows of one flow of one persona on one day.
public struct TruthRow: Sendable, Equatable {
    public var persona: String
    public var flow: String
    public var steps: [String]
    /// Marginal P(activated within 7 days) (with a step funnel: the reach of the activation step × activation_7d).
    public var activation7d: Double
    /// Marginal P(retained at day 30) = p7·r|act + (1 − p7)·r|not.
    public var retention30d: Double
    /// Marginal P(upgrade).
    public var upgrade: Double
    /// E[T | T ≤ 7 days], minutes, of the flow's truncated time-to-first-win law.
    public var meanTimeToFirstWinMinutes: Double
    /// The objective applied to the true rates.
    public var trueScore: Double
    /// 1 = best among the flows users can be presented that day; unreachable flows are ranked after them.
    public var rank: Int
    /// Best presentable score − this flow's score (≥ 0 for presentable flows).
    public var gapToBest: Double
    /// How users can be presented the flow (empty: unreachable).
    public var reachability: [Reach]
    /// Whether users can be presented the flow on this day (a candidate introduced later cannot yet).
    public var presentable: Bool
    /// Days on which a drift entry changes this flow's truth or a ramp (trend) starts moving it, ascending.
    public var driftDays: [Int]

    public var isReachable: Bool { !reachability.isEmpty }
}

/// One way a flow can reach users.
public enum Reach: Sendable, Equatable, CustomStringConvertible {
    /// Part of the persona's v3 default split, with its normalised share of the split.
    case v3Default(share: Double)
    /// Registered as a candidate pattern from this day.
    case candidate(fromDay: Int)
    /// The v3 runtime rewrites other flows into it.
    case deviationTarget
    /// Shown to the persona's users whom the runtime infers as this other persona (persona inference).
    case misreadAs(persona: String)

    public var description: String {
        switch self {
        case .v3Default(let share):
            return share >= 1 ? "v3 default" : "v3 default (\(Int((share * 100).rounded()))% of the split)"
        case .candidate(let day): return day == 0 ? "candidate" : "candidate from day \(day)"
        case .deviationTarget: return "deviation target"
        case .misreadAs(let persona): return "when misread as \(persona)"
        }
    }
}

extension Oracle {
    /// The truth of every flow of every persona on `day`, personas and flows in declaration order.
    ///
    /// Ranks are dense over distinct scores among presentable flows (tied flows share a rank); flows that cannot
    /// be presented on `day` (a candidate introduced later, or no route at all) follow, ranked among themselves.
    public func table(day: Int) -> [TruthRow] {
        var rows: [TruthRow] = []
        for (p, persona) in world.personas.enumerated() {
            let presentable = Set(presentable(persona: p, day: day))
            let scores = persona.flows.indices.map { trueScore(persona: p, flow: $0, day: day) }
            let best = presentable.map { scores[$0] }.max() ?? 0
            let totalWeight = persona.v3Default.reduce(0) { $0 + $1.weight }
            let targets = Set(persona.deviation?.to.map(\.flow) ?? [])
            for (f, flow) in persona.flows.enumerated() {
                let t = truth(persona: p, flow: f, day: day)
                var reach: [Reach] = []
                let split = persona.v3Default.filter { $0.flow == f }.reduce(0) { $0 + $1.weight }
                if split > 0, totalWeight > 0 { reach.append(.v3Default(share: split / totalWeight)) }
                if flow.candidate { reach.append(.candidate(fromDay: flow.introducedDay)) }
                if targets.contains(f) { reach.append(.deviationTarget) }
                for (other, flows) in misreadRoutes(persona: p, day: day)
                where flows.contains(where: { world.personas[other].flows[$0].steps == flow.steps }) {
                    reach.append(.misreadAs(persona: world.personas[other].id))
                }
                let group = presentable.contains(f) ? presentable : Set(persona.flows.indices).subtracting(presentable)
                let higher = Set(group.map { scores[$0] }.filter { $0 > scores[f] }).count
                let offset = presentable.contains(f) ? 0 : Set(presentable.map { scores[$0] }).count
                rows.append(
                    TruthRow(
                        persona: persona.id, flow: flow.id, steps: flow.steps, activation7d: t.activation,
                        retention30d: t.retention30d, upgrade: t.upgradeRate,
                        meanTimeToFirstWinMinutes: Self.expectedTimeToWin(t.timeToFirstWin), trueScore: scores[f],
                        rank: offset + higher + 1, gapToBest: best - scores[f], reachability: reach,
                        presentable: presentable.contains(f),
                        driftDays: Set(
                            persona.drift.filter { $0.flow == f }.map(\.day)
                                + persona.trends.filter { $0.flow == f }.compactMap(\.rampStart)
                        ).sorted()))
            }
        }
        return rows
    }
}
