import Yams

extension ScenarioDecoder {
    static let topKeys = [
        "name", "description", "seed", "horizon_days", "replicates", "traffic", "personas", "persona_inference",
        "objective", "engine",
        "governance", "sweep", "baseline", "checks",
    ]

    /// The whole scenario, or `nil` when the document is not a mapping at all.
    mutating func decodeScenario(_ root: Node?) -> Scenario? {
        guard let root else {
            report(
                at: SourceLocation(file: file, line: 1, column: 1), "",
                "the file is empty; a scenario needs at least name, traffic and personas")
            return nil
        }
        guard let top = fields(root, at: "", allowed: Self.topKeys) else { return nil }

        let name = decodeName(top)
        let description = top["description"].flatMap { string($0, at: "description") } ?? ""
        let seed = top["seed"].flatMap { readSeed($0, at: "seed") } ?? 1
        // nil when the horizon is invalid: checks against it are skipped.
        let horizon: Int? =
            if let node = top["horizon_days"] {
                integer(node, at: "horizon_days", .range(ScenarioLimits.horizonDays))
            } else { 120 }
        let replicates =
            top["replicates"].flatMap { integer($0, at: "replicates", .range(ScenarioLimits.replicates)) } ?? 1

        // Engine configurations have no traffic unless they say so.
        var traffic = Traffic(signupsPerDay: 0)
        if let node = top["traffic"] {
            if let decoded = decodeTraffic(node) {
                traffic = decoded
                if let problem = ScenarioLimits.trafficProblem(decoded, horizonDays: horizon ?? 1) {
                    report(node, "traffic", problem)
                }
            }
        } else if mode == .scenario {
            _ = required(top, "traffic")
        }

        var personas: [Persona] = []
        var personaIDsComplete = false
        if let node = required(top, "personas") {
            (personas, personaIDsComplete) = decodePersonas(node, horizon: horizon)
        }

        var scenario = Scenario(
            name: name, description: description, seed: seed, horizonDays: horizon ?? 120,
            replicates: replicates, traffic: traffic, personas: personas,
            source: SourceLocation(file: file, line: 1, column: 1))

        if let node = top["persona_inference"] {
            scenario.personaInference = decodePersonaInference(
                node, personas: personaIDsComplete ? personas : nil, horizon: horizon)
        }

        if let node = top["objective"], let objective = decodeObjective(node) {
            scenario.objective = objective
        }

        var blockNodes: [String: Node] = [:]
        for block in ["engine", "governance"] {
            if let node = top[block] {
                decodeSettingsBlock(node, prefix: block, into: &scenario, nodes: &blockNodes)
            }
        }
        for problem in scenario.crossFieldProblems() {
            let node = blockNodes[problem.path] ?? blockNodes["engine"] ?? root
            report(node, problem.path, problem.reason)
        }

        var sweep = SweepResult()
        if let node = top["sweep"] {
            sweep = decodeSweep(node, base: scenario)
            scenario.sweep = sweep.axes
        }
        if let node = top["baseline"] {
            scenario.baseline = decodeBaseline(node, sweep: sweep)
        }

        if let node = top["checks"] {
            scenario.checks = decodeChecks(
                node, personaIDs: personaIDsComplete ? personas.map(\.id) : nil, horizon: horizon)
        }
        return scenario
    }

    private mutating func decodeName(_ top: Fields) -> String {
        guard let node = top["name"] else {
            if mode == .scenario {
                _ = required(top, "name", because: "it names the results folder")
                return ""
            }
            return Self.defaultName(forFile: file)
        }
        guard let name = string(node, at: "name") else { return "" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        if name.isEmpty || !name.allSatisfy({ allowed.contains($0) }) {
            report(node, "name", "invalid name '\(name)': use only lowercase letters, digits and '-'")
        }
        return name
    }

    /// An engine configuration without a name is named after its file: `configs/My Engine.yaml` → `my-engine`.
    static func defaultName(forFile file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        let stem = base.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? base
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        let mapped = String(stem.lowercased().map { allowed.contains($0) ? $0 : "-" })
        let trimmed = mapped.split(separator: "-").joined(separator: "-")
        return trimmed.isEmpty ? "engine" : trimmed
    }

    private mutating func readSeed(_ node: Node, at path: String) -> UInt64? {
        if case .scalar(let scalar) = node, node.tagName == .int, let seed = UInt64.construct(from: scalar) {
            return seed
        }
        // Negative or wrongly typed: let the integer reader say what is wrong.
        if let value = integer(node, at: path, .atLeast(0)) {
            return UInt64(exactly: value)
        }
        return nil
    }

    // MARK: Objective

    /// The `objective` block (SPEC §2.4); missing keys keep the seed's values.
    private mutating func decodeObjective(_ node: Node) -> Objective? {
        guard let block = fields(node, at: "objective", allowed: Objective.keys) else { return nil }
        var objective = Objective()
        var complete = true
        func weight(_ key: String) -> Double? {
            guard let entry = block[key] else { return nil }
            let value = number(entry, at: "objective".appending(key: key), .range(ScenarioLimits.weight))
            if value == nil { complete = false }
            return value
        }
        if let value = weight("activation_7d") { objective.activation7d = value }
        if let value = weight("retention_30d") { objective.retention30d = value }
        if let value = weight("speed") { objective.speed = value }
        if let entry = block["speed_horizon_minutes"] {
            if let value = number(entry, at: "objective.speed_horizon_minutes", .range(ScenarioLimits.minutes)) {
                objective.speedHorizonMinutes = value
            } else {
                complete = false
            }
        }
        guard complete else { return nil }
        if objective.activation7d == 0, objective.retention30d == 0, objective.speed == 0 {
            report(node, "objective", "the objective's weights are all zero; at least one must be greater than 0")
            return nil
        }
        return objective
    }

    // MARK: Traffic

    static let trafficKeys = ["signups_per_day", "schedule", "arrivals", "weekly", "growth_per_month"]

    private mutating func decodeTraffic(_ node: Node) -> Traffic? {
        guard let traffic = fields(node, at: "traffic", allowed: Self.trafficKeys)
        else { return nil }
        var schedule: [TrafficPeriod]?
        if let rate = traffic["signups_per_day"] {
            if case .sequence = rate {
                schedule = decodeSchedule(rate, at: "traffic.signups_per_day")
            } else if scalarValue(rate)?.doubleValue == nil {
                report(
                    rate, "traffic.signups_per_day",
                    "expected a number or a schedule (a list of {from_day, per_day}), found \(found(rate))")
            } else if let perDay = number(rate, at: "traffic.signups_per_day", .range(ScenarioLimits.signupsPerDay)) {
                schedule = [TrafficPeriod(fromDay: 0, perDay: perDay)]
            }
        }
        if let list = traffic["schedule"] {
            if traffic["signups_per_day"] != nil, let scheduleKey = traffic.keyNode("schedule") {
                report(scheduleKey, "traffic.schedule", "give either signups_per_day or schedule, not both")
            } else {
                schedule = decodeSchedule(list, at: "traffic.schedule")
            }
        }
        if traffic["signups_per_day"] == nil, traffic["schedule"] == nil {
            report(
                node, "traffic.signups_per_day",
                "missing required key 'signups_per_day' (a number of signups per day, or a schedule)")
        }
        let arrivals = traffic["arrivals"].flatMap {
            string($0, at: "traffic.arrivals", .oneOf(Arrivals.allCases.map(\.rawValue)))
        }
        let weekly = traffic["weekly"].flatMap { decodeWeekly($0) }
        let growth = traffic["growth_per_month"].flatMap {
            number($0, at: "traffic.growth_per_month", .range(ScenarioLimits.growthPerMonth))
        }
        return Traffic(
            schedule: schedule ?? [TrafficPeriod(fromDay: 0, perDay: 0)],
            arrivals: arrivals.flatMap(Arrivals.init(rawValue:)) ?? .poisson,
            weekly: weekly, growthPerMonth: growth ?? 0)
    }

    private mutating func decodeSchedule(_ node: Node, at path: String) -> [TrafficPeriod]? {
        decodePeriods(node, at: path, valueKey: "per_day", what: "the schedule") { decoder, value, valuePath in
            decoder.number(value, at: valuePath, .range(ScenarioLimits.signupsPerDay))
        }?.map { TrafficPeriod(fromDay: $0.fromDay, perDay: $0.value) }
    }

    /// A list of periods `{from_day, <valueKey>}` (a traffic schedule, the persona-inference matrices): the first
    /// from day 0, `from_day` increasing, and — when `horizon` is given — before the horizon. nil when a period is
    /// invalid (after reporting every problem).
    mutating func decodePeriods<Value>(
        _ node: Node, at path: String, valueKey: String, what: String, horizon: Int? = nil,
        value decode: (inout ScenarioDecoder, Node, String) -> Value?
    ) -> [(fromDay: Int, value: Value)]? {
        guard let items = list(node, at: path) else { return nil }
        if items.isEmpty {
            report(node, path, "\(what) must list at least one period")
            return nil
        }
        var periods: [(fromDay: Int, value: Value)] = []
        var complete = true
        var previousDay: Int?
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let period = fields(item, at: itemPath, allowed: ["from_day", valueKey]) else {
                complete = false
                continue
            }
            let dayPath = itemPath.appending(key: "from_day")
            let dayNode = required(period, "from_day")
            let day = dayNode.flatMap { integer($0, at: dayPath, .range(ScenarioLimits.day)) }
            let value = required(period, valueKey).flatMap { decode(&self, $0, itemPath.appending(key: valueKey)) }
            if let day, let dayNode {
                if index == 0, day != 0 {
                    report(dayNode, dayPath, "\(what) must start at from_day 0, found \(day)")
                } else if let previousDay, day <= previousDay {
                    report(dayNode, dayPath, "from_day must increase: \(day) does not come after \(previousDay)")
                } else if let horizon, mode == .scenario, day >= horizon {
                    report(dayNode, dayPath, beyondHorizon(day, horizon: horizon))
                }
                previousDay = day
            }
            guard let day, let value else {
                complete = false
                continue
            }
            periods.append((day, value))
        }
        return complete ? periods : nil
    }

    private mutating func decodeWeekly(_ node: Node) -> [Double]? {
        guard let items = list(node, at: "traffic.weekly") else { return nil }
        let values = items.enumerated().map {
            number(
                $0.element, at: "traffic.weekly".appending(index: $0.offset), .range(ScenarioLimits.weeklyMultiplier))
        }
        if items.count != 7 {
            report(
                node, "traffic.weekly",
                "must list exactly 7 multipliers (one per weekday, day 0 first), found \(items.count)")
            return nil
        }
        let numbers = values.compactMap { $0 }
        guard numbers.count == 7 else { return nil }
        if !numbers.contains(where: { $0 > 0 }) {
            report(node, "traffic.weekly", "the multipliers are all zero; at least one must be greater than 0")
            return nil
        }
        return numbers
    }

    // MARK: Checks

    private mutating func decodeChecks(_ node: Node, personaIDs: [String]?, horizon: Int?) -> [Check] {
        guard let items = list(node, at: "checks") else { return [] }
        var checks: [Check] = []
        for (index, item) in items.enumerated() {
            let path = "checks".appending(index: index)
            guard
                let check = fields(
                    item, at: path, allowed: ["persona", "champion_is_true_best_by_day", "min_probability"])
            else { continue }
            let personaNode = required(check, "persona")
            let persona = personaNode.flatMap { string($0, at: path.appending(key: "persona")) }
            if let persona, let personaNode, let personaIDs, !personaIDs.contains(persona) {
                report(
                    personaNode, path.appending(key: "persona"), unknownReference("persona", persona, among: personaIDs)
                )
            }
            let dayPath = path.appending(key: "champion_is_true_best_by_day")
            let dayNode = required(check, "champion_is_true_best_by_day")
            let day = dayNode.flatMap { integer($0, at: dayPath, .range(ScenarioLimits.day)) }
            if let day, let dayNode, let horizon, mode == .scenario, day >= horizon {
                report(dayNode, dayPath, beyondHorizon(day, horizon: horizon))
            }
            let probability = required(check, "min_probability").flatMap {
                number($0, at: path.appending(key: "min_probability"), .probability)
            }
            if let persona, let day, let probability {
                checks.append(
                    Check(
                        persona: persona, championIsTrueBestByDay: day, minProbability: probability,
                        location: location(of: item)))
            }
        }
        return checks
    }

    /// "day 120 is beyond the horizon: …" for a day that the simulation never reaches.
    func beyondHorizon(_ day: Int, horizon: Int) -> String {
        "day \(day) is beyond the horizon: the simulation runs days 0 to \(horizon - 1) (horizon_days: \(horizon))"
    }

    /// "unknown flow 'X'; …" with the known ids and, when one is close, a suggestion.
    func unknownReference(_ what: String, _ id: String, among known: [String], in owner: String? = nil) -> String {
        var reason = "unknown \(what) '\(id)'"
        if let suggestion = Suggestion.closest(to: id, among: known) {
            reason += " (did you mean '\(suggestion)'?)"
        }
        let list = known.isEmpty ? "none" : known.joined(separator: ", ")
        if let owner {
            reason += "; \(owner) has \(what)s: \(list)"
        } else {
            reason += "; known \(what)s: \(list)"
        }
        return reason
    }
}
