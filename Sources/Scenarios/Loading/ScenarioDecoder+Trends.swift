import Yams

extension ScenarioDecoder {
    static let trendKeys = ["flow", "field", "ramp", "sine", "decay"]
    static let trendShapeKeys = ["ramp", "sine", "decay"]

    /// A persona's `trends:` list: each entry names a field, optionally a flow, and exactly one shape.
    mutating func decodeTrends(
        _ node: Node, at path: String, flowIDs: [String]?, flows: [Flow], owner: String, horizon: Int?
    ) -> [Trend] {
        guard let items = list(node, at: path) else { return [] }
        var trends: [Trend] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let entry = fields(item, at: itemPath, allowed: Self.trendKeys) else { continue }
            var flow: String?
            var flowValid = true
            if let flowNode = entry["flow"] {
                flow = string(flowNode, at: itemPath.appending(key: "flow"))
                if let flow {
                    flowValid = checkFlowReference(
                        flow, flowNode, at: itemPath.appending(key: "flow"), flowIDs: flowIDs, owner: owner)
                } else {
                    flowValid = false
                }
            }
            let field = required(entry, "field").flatMap {
                string($0, at: itemPath.appending(key: "field"), .oneOf(TrendField.allCases.map(\.rawValue)))
            }.flatMap(TrendField.init(rawValue:))
            // A trend moves one value; a conditional upgrade has two.
            if field == .upgrade, let fieldNode = entry["field"],
                let conditional = flows.first(where: { f in
                    (flow == nil || f.id == flow)
                        && f.truth.map { if case .flat = $0.upgrade { false } else { true } } == true
                })
            {
                report(
                    fieldNode, itemPath.appending(key: "field"),
                    "a trend on upgrade needs a flat upgrade rate, but flow '\(conditional.id)' has a conditional upgrade"
                )
            }

            let shapeKeys = Self.trendShapeKeys.filter { entry[$0] != nil }
            guard let shapeKey = shapeKeys.first, let shapeNode = entry[shapeKey] else {
                if !Self.trendShapeKeys.contains(where: entry.suggested.contains) {
                    report(item, itemPath, "a trend needs one of ramp, sine or decay")
                }
                continue
            }
            if shapeKeys.count > 1, let second = entry.keyNode(shapeKeys[1]) {
                report(
                    second, itemPath.appending(key: shapeKeys[1]),
                    "a trend has exactly one shape; give either \(shapeKey) or \(shapeKeys[1]), not both")
                continue
            }
            let shape = decodeTrendShape(
                shapeKey, shapeNode, at: itemPath.appending(key: shapeKey), field: field, horizon: horizon)
            if let field, let shape, flowValid {
                trends.append(Trend(flow: flow, field: field, shape: shape))
            }
        }
        return trends
    }

    /// The parameters of one shape; ranges follow the field (probabilities or minutes; unchecked when the field
    /// itself is invalid, which is already reported).
    private mutating func decodeTrendShape(
        _ key: String, _ node: Node, at path: String, field: TrendField?, horizon: Int?
    ) -> TrendShape? {
        let minutes = field == .timeToFirstWinMedian
        let valueRule: ValueRule =
            field == nil ? .any : minutes ? .range(ScenarioLimits.minutes) : .probability
        let amplitudeRule: ValueRule =
            field == nil
            ? .any : .range(minutes ? ScenarioLimits.minutesAmplitude : ScenarioLimits.probabilityAmplitude)
        let offsetRule: ValueRule =
            field == nil
            ? .any : .range(minutes ? ScenarioLimits.minutesOffset : ScenarioLimits.probabilityOffset)
        switch key {
        case "ramp":
            guard let ramp = fields(node, at: path, allowed: ["from", "to", "start_day", "end_day"]) else { return nil }
            let from = required(ramp, "from").flatMap { number($0, at: path.appending(key: "from"), valueRule) }
            let to = required(ramp, "to").flatMap { number($0, at: path.appending(key: "to"), valueRule) }
            let startNode = required(ramp, "start_day")
            let start = startNode.flatMap {
                integer($0, at: path.appending(key: "start_day"), .range(ScenarioLimits.day))
            }
            if let start, let startNode, let horizon, mode == .scenario, start >= horizon {
                report(startNode, path.appending(key: "start_day"), beyondHorizon(start, horizon: horizon))
            }
            let endNode = required(ramp, "end_day")
            let end = endNode.flatMap { integer($0, at: path.appending(key: "end_day"), .range(ScenarioLimits.day)) }
            if let start, let end, let endNode, end < start {
                report(
                    endNode, path.appending(key: "end_day"),
                    "end_day \(end) is before start_day \(start); a ramp ends on or after the day it starts")
                return nil
            }
            guard let from, let to, let start, let end else { return nil }
            return .ramp(from: from, to: to, startDay: start, endDay: end)
        case "sine":
            guard let sine = fields(node, at: path, allowed: ["amplitude", "period_days", "phase_days"]) else {
                return nil
            }
            let amplitude = required(sine, "amplitude").flatMap {
                number($0, at: path.appending(key: "amplitude"), amplitudeRule)
            }
            let period = required(sine, "period_days").flatMap {
                number($0, at: path.appending(key: "period_days"), .range(ScenarioLimits.periodDays))
            }
            let phase = sine["phase_days"].flatMap {
                number($0, at: path.appending(key: "phase_days"), .range(ScenarioLimits.phaseDays))
            }
            guard let amplitude, let period else { return nil }
            return .sine(amplitude: amplitude, periodDays: period, phaseDays: phase ?? 0)
        default:
            guard let decay = fields(node, at: path, allowed: ["lift", "half_life_days"]) else { return nil }
            let lift = required(decay, "lift").flatMap { number($0, at: path.appending(key: "lift"), offsetRule) }
            let halfLife = required(decay, "half_life_days").flatMap {
                number($0, at: path.appending(key: "half_life_days"), .range(ScenarioLimits.halfLifeDays))
            }
            guard let lift, let halfLife else { return nil }
            return .decay(lift: lift, halfLifeDays: halfLife)
        }
    }
}
