import Yams

extension ScenarioDecoder {
    static let personaKeys = [
        "id", "share", "activation_event", "v3_default", "flows", "deviation", "drift", "trends", "funnel",
        "outcome_delays",
    ]
    static let flowKeys = ["id", "steps", "candidate", "introduced_day", "truth", "funnel"]
    static let truthKeys = ["activation_7d", "retention_30d", "upgrade", "time_to_first_win"]

    /// The personas, and whether every persona id could be read (so references to personas can be checked).
    mutating func decodePersonas(_ node: Node, horizon: Int?) -> ([Persona], Bool) {
        guard let items = list(node, at: "personas") else { return ([], false) }
        if items.isEmpty {
            report(node, "personas", "must list at least one persona")
            return ([], false)
        }
        if items.count > ScenarioLimits.personas.upperBound {
            report(
                node, "personas",
                "lists \(items.count) personas; a scenario may have at most \(ScenarioLimits.personas.upperBound)")
            return ([], false)
        }
        var personas: [Persona] = []
        var complete = true
        var firstIndex: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "personas".appending(index: index)
            // nil when the item is not a mapping or its id is unusable.
            guard let (persona, idNode) = decodePersona(item, at: path, horizon: horizon) else {
                complete = false
                continue
            }
            if let first = firstIndex[persona.id] {
                report(
                    idNode, path.appending(key: "id"),
                    "duplicate persona id '\(persona.id)' (already personas[\(first)])")
            } else {
                firstIndex[persona.id] = index
            }
            personas.append(persona)
        }
        return (personas, complete)
    }

    /// The persona and its id node; nil when the item is not a mapping or has no usable id (after reporting every
    /// problem of the item).
    private mutating func decodePersona(_ node: Node, at path: String, horizon: Int?) -> (Persona, Node)? {
        guard let persona = fields(node, at: path, allowed: Self.personaKeys) else { return nil }
        let idNode = required(persona, "id")
        let id = idNode.flatMap { identifier($0, at: path.appending(key: "id"), what: "persona id") }
        let share =
            persona["share"].flatMap {
                number($0, at: path.appending(key: "share"), .range(ScenarioLimits.positiveWeight))
            } ?? 1

        var activationEvent = ""
        if let eventNode = persona["activation_event"] {
            let eventPath = path.appending(key: "activation_event")
            if let event = string(eventNode, at: eventPath) {
                // Engine configurations may leave it empty (their resolved YAML writes it so).
                if (event.isEmpty && mode == .scenario) || event.contains(where: \.isWhitespace) {
                    report(
                        eventNode, eventPath,
                        "invalid activation event '\(event)': it must be a non-empty name without whitespace")
                }
                activationEvent = event
            }
        } else if mode == .scenario {
            _ = required(persona, "activation_event", because: "the event that counts as activation")
        }

        var flows: [Flow] = []
        // The ids of every flow written, even those with other errors; nil when some flow id is unusable, and
        // references to flows are then not checked.
        var flowIDs: [String]? = []
        if let flowsNode = persona["flows"] {
            (flows, flowIDs) = decodeFlows(flowsNode, at: path.appending(key: "flows"))
        } else if mode == .scenario {
            _ = required(persona, "flows")
        }
        let owner = id.map { "persona '\($0)'" } ?? "this persona"

        var v3Default: [V3Split] = []
        if let v3Node = persona["v3_default"] {
            v3Default = decodeV3Default(v3Node, at: path.appending(key: "v3_default"), flowIDs: flowIDs, owner: owner)
        } else if mode == .scenario {
            _ = required(persona, "v3_default", because: "what users see while there is no champion")
        }

        let deviation = persona["deviation"].flatMap {
            decodeDeviation($0, at: path.appending(key: "deviation"), flowIDs: flowIDs, owner: owner)
        }
        let drift =
            persona["drift"].map {
                decodeDrift($0, at: path.appending(key: "drift"), flowIDs: flowIDs, owner: owner, horizon: horizon)
            } ?? []
        let trends =
            persona["trends"].map {
                decodeTrends(
                    $0, at: path.appending(key: "trends"), flowIDs: flowIDs, flows: flows, owner: owner,
                    horizon: horizon)
            } ?? []

        var funnelSteps: [String] = []
        for step in flows.flatMap(\.steps) where !funnelSteps.contains(step) { funnelSteps.append(step) }
        let funnel = persona["funnel"].flatMap {
            decodeFunnel($0, at: path.appending(key: "funnel"), steps: funnelSteps)
        }
        let outcomeDelays = persona["outcome_delays"].flatMap {
            decodeOutcomeDelays($0, at: path.appending(key: "outcome_delays"))
        }

        guard let id, let idNode else { return nil }
        return (
            Persona(
                id: id, share: share, activationEvent: activationEvent, v3Default: v3Default, flows: flows,
                deviation: deviation, drift: drift, trends: trends, funnel: funnel, outcomeDelays: outcomeDelays,
                location: location(of: node)),
            idNode
        )
    }

    // MARK: Flows

    /// The valid flows, and the distinct ids of all flows written (nil when some id could not be read).
    private mutating func decodeFlows(_ node: Node, at path: String) -> ([Flow], [String]?) {
        guard let items = list(node, at: path) else { return ([], nil) }
        if items.isEmpty, mode == .scenario {
            report(node, path, "must list at least one flow")
        }
        if items.count > ScenarioLimits.flowsPerPersona.upperBound {
            report(
                node, path,
                "lists \(items.count) flows; a persona may have at most \(ScenarioLimits.flowsPerPersona.upperBound)")
            return ([], nil)
        }
        var flows: [Flow] = []
        var ids: [String] = []
        var complete = true
        var firstIndexByID: [String: Int] = [:]
        var firstBySteps: [[String]: (index: Int, id: String?)] = [:]
        for (index, item) in items.enumerated() {
            let flowPath = path.appending(index: index)
            guard let flowFields = fields(item, at: flowPath, allowed: Self.flowKeys) else {
                complete = false
                continue
            }
            let idNode = required(flowFields, "id")
            let id = idNode.flatMap { identifier($0, at: flowPath.appending(key: "id"), what: "flow id") }
            if let id, let idNode {
                if let first = firstIndexByID[id] {
                    report(
                        idNode, flowPath.appending(key: "id"),
                        "duplicate flow id '\(id)' (already \(path.appending(index: first)))")
                } else {
                    firstIndexByID[id] = index
                    ids.append(id)
                }
            } else {
                complete = false
            }

            let stepsNode = required(flowFields, "steps")
            let steps = stepsNode.flatMap { decodeSteps($0, at: flowPath.appending(key: "steps")) }
            if let steps, let stepsNode {
                if let first = firstBySteps[steps] {
                    let name = first.id.map { "flow '\($0)' " } ?? ""
                    report(
                        stepsNode, flowPath.appending(key: "steps"),
                        "same steps as \(name)(\(path.appending(index: first.index))); "
                            + "a flow is identified by its steps, so each flow of a persona needs its own sequence")
                } else {
                    firstBySteps[steps] = (index, id)
                }
            }

            let candidate = flowFields["candidate"].flatMap { boolean($0, at: flowPath.appending(key: "candidate")) }
            let introducedDay = flowFields["introduced_day"].flatMap {
                integer($0, at: flowPath.appending(key: "introduced_day"), .range(ScenarioLimits.day))
            }
            var truth: Truth?
            if let truthNode = flowFields["truth"] {
                truth = decodeTruth(truthNode, at: flowPath.appending(key: "truth"))
            } else if mode == .scenario {
                _ = required(flowFields, "truth", because: "every flow of a scenario needs a truth")
            }
            let funnel = steps.flatMap { steps in
                flowFields["funnel"].flatMap { decodeFunnel($0, at: flowPath.appending(key: "funnel"), steps: steps) }
            }
            if let id, let steps {
                flows.append(
                    Flow(
                        id: id, steps: steps, candidate: candidate ?? false, introducedDay: introducedDay ?? 0,
                        truth: truth, funnel: funnel, location: location(of: item)))
            }
        }
        return (flows, complete ? ids : nil)
    }

    private mutating func decodeSteps(_ node: Node, at path: String) -> [String]? {
        guard let items = list(node, at: path) else { return nil }
        if items.isEmpty {
            report(node, path, "a flow needs at least one step")
            return nil
        }
        var steps: [String] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let stepPath = path.appending(index: index)
            guard let step = identifier(item, at: stepPath, what: "step id") else {
                valid = false
                continue
            }
            if let first = steps.firstIndex(of: step) {
                report(item, stepPath, "step '\(step)' is repeated (already \(path.appending(index: first)))")
                valid = false
            }
            steps.append(step)
        }
        return valid ? steps : nil
    }

    // MARK: Truth

    private mutating func decodeTruth(_ node: Node, at path: String) -> Truth? {
        guard let truth = fields(node, at: path, allowed: Self.truthKeys) else { return nil }
        let activation = required(truth, "activation_7d").flatMap {
            decodeRate($0, at: path.appending(key: "activation_7d"))
        }
        let retention = required(truth, "retention_30d").flatMap {
            decodeRetention($0, at: path.appending(key: "retention_30d"), spread: true)
        }
        let upgrade = truth["upgrade"].flatMap { decodeUpgrade($0, at: path.appending(key: "upgrade")) }
        let time = truth["time_to_first_win"].flatMap {
            decodeTimeToWin($0, at: path.appending(key: "time_to_first_win"))
        }
        guard let activation, let retention else { return nil }
        return Truth(
            activation7d: activation.mean, retention30d: retention.retention, upgrade: upgrade ?? .flat(0),
            timeToFirstWin: time ?? TimeToWin(),
            spread: RateSpread(activation: activation.concentration, retention: retention.concentration))
    }

    /// A probability, or a distribution of users' own rates `{mean, concentration}` (``RateSpread``).
    private mutating func decodeRate(_ node: Node, at path: String) -> (mean: Double, concentration: Double?)? {
        guard case .mapping = node else { return number(node, at: path, .probability).map { ($0, nil) } }
        guard let rate = fields(node, at: path, allowed: ["mean", "concentration"]) else { return nil }
        let mean = required(rate, "mean").flatMap { number($0, at: path.appending(key: "mean"), .probability) }
        let concentration = required(rate, "concentration", because: "how much users vary around the mean").flatMap {
            decodeConcentration($0, at: path.appending(key: "concentration"))
        }
        guard let mean, let concentration else { return nil }
        return (mean, concentration)
    }

    /// A Beta concentration: greater than 0 and at most ``ScenarioLimits/concentration``'s bound, or `.inf`.
    private mutating func decodeConcentration(_ node: Node, at path: String) -> Double? {
        if case .scalar(let scalar) = node, node.tagName == .float, let value = Double.construct(from: scalar),
            value == .infinity
        {
            return value
        }
        return number(node, at: path, .range(ScenarioLimits.concentration))
    }

    private mutating func decodeTruthPatch(_ node: Node, at path: String) -> TruthPatch? {
        guard let truth = fields(node, at: path, allowed: Self.truthKeys) else { return nil }
        if truth.entries.isEmpty {
            report(
                node, path,
                "a drift must change at least one of \(Self.truthKeys.joined(separator: ", "))")
            return nil
        }
        return TruthPatch(
            activation7d: truth["activation_7d"].flatMap {
                number($0, at: path.appending(key: "activation_7d"), .probability)
            },
            retention30d: truth["retention_30d"].flatMap {
                decodeRetention($0, at: path.appending(key: "retention_30d"))?.retention
            },
            upgrade: truth["upgrade"].flatMap { decodeUpgrade($0, at: path.appending(key: "upgrade")) },
            timeToFirstWin: truth["time_to_first_win"].flatMap {
                decodeTimeToWin($0, at: path.appending(key: "time_to_first_win"))
            })
    }

    /// A retention probability or `{if_activated, if_not}`; with `spread`, also `{mean, concentration}` or
    /// `{if_activated, if_not, concentration}` (drifts change rates only, not the spread).
    private mutating func decodeRetention(_ node: Node, at path: String, spread: Bool = false) -> (
        retention: Retention, concentration: Double?
    )? {
        switch node {
        case .mapping:
            if spread, case .mapping(let entries) = node, entries.keys.contains(where: { $0.string == "mean" }) {
                return decodeRate(node, at: path).map { (.flat($0.mean), $0.concentration) }
            }
            let keys = spread ? ["if_activated", "if_not", "concentration"] : ["if_activated", "if_not"]
            guard let retention = fields(node, at: path, allowed: keys) else { return nil }
            let ifActivated = required(retention, "if_activated").flatMap {
                number($0, at: path.appending(key: "if_activated"), .probability)
            }
            let ifNot = required(retention, "if_not").flatMap {
                number($0, at: path.appending(key: "if_not"), .probability)
            }
            var concentration: Double?
            if let entry = retention["concentration"] {
                guard let value = decodeConcentration(entry, at: path.appending(key: "concentration")) else {
                    return nil
                }
                concentration = value
            }
            guard let ifActivated, let ifNot else { return nil }
            return (.conditional(ifActivated: ifActivated, ifNot: ifNot), concentration)
        case .scalar where node.tagName == .int || node.tagName == .float:
            return number(node, at: path, .probability).map { (.flat($0), nil) }
        default:
            let forms =
                spread
                ? "a probability, {mean, concentration} or {if_activated, if_not[, concentration]}"
                : "a probability or a mapping {if_activated, if_not}"
            report(node, path, "expected \(forms), found \(found(node))")
            return nil
        }
    }

    private mutating func decodeTimeToWin(_ node: Node, at path: String) -> TimeToWin? {
        guard let time = fields(node, at: path, allowed: ["distribution", "median_minutes", "sigma"]) else {
            return nil
        }
        let distribution = time["distribution"].flatMap {
            string($0, at: path.appending(key: "distribution"), .oneOf(Distribution.allCases.map(\.rawValue)))
        }.flatMap(Distribution.init(rawValue:))
        let median = time["median_minutes"].flatMap {
            number($0, at: path.appending(key: "median_minutes"), .range(ScenarioLimits.minutes))
        }
        let sigma = time["sigma"].flatMap { number($0, at: path.appending(key: "sigma"), .range(ScenarioLimits.sigma)) }
        let resolved = distribution ?? (time["distribution"] == nil ? .lognormal : nil)
        if let resolved, resolved != .lognormal, let sigmaKey = time.keyNode("sigma") {
            report(
                sigmaKey, path.appending(key: "sigma"),
                "sigma applies only to the lognormal distribution, not to \(resolved.rawValue)")
        }
        if resolved == .fixed, let median, median > 10080, let medianNode = time["median_minutes"] {
            let written = scalarValue(medianNode)?.description ?? SettingValue.number(median).description
            report(
                medianNode, path.appending(key: "median_minutes"),
                "a fixed time to first win must be at most 10080 minutes (7 days), found \(written)")
        }
        return TimeToWin(distribution: resolved ?? .lognormal, medianMinutes: median ?? 90, sigma: sigma ?? 0.8)
    }

    // MARK: v3 default, deviation, drift

    /// Reports `flow` (at `node`) unless it is one of `flowIDs`; nothing is checked when `flowIDs` is nil.
    mutating func checkFlowReference(
        _ flow: String, _ node: Node, at path: String, flowIDs: [String]?, owner: String
    )
        -> Bool
    {
        guard let flowIDs, !flowIDs.contains(flow) else { return true }
        report(node, path, unknownReference("flow", flow, among: flowIDs, in: owner))
        return false
    }

    private mutating func decodeV3Default(_ node: Node, at path: String, flowIDs: [String]?, owner: String) -> [V3Split]
    {
        guard let items = list(node, at: path) else { return [] }
        if items.isEmpty, mode == .scenario {
            report(node, path, "must list at least one flow and variant (what users see while there is no champion)")
        }
        var splits: [V3Split] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let split = fields(item, at: itemPath, allowed: ["flow", "variant", "weight"]) else { continue }
            let flowNode = required(split, "flow")
            let flow = flowNode.flatMap { string($0, at: itemPath.appending(key: "flow")) }
            if let flow, let flowNode {
                _ = checkFlowReference(
                    flow, flowNode, at: itemPath.appending(key: "flow"), flowIDs: flowIDs, owner: owner)
            }
            let variantNode = required(split, "variant")
            let variant = variantNode.flatMap { string($0, at: itemPath.appending(key: "variant")) }
            if let variant, variant.isEmpty, let variantNode {
                report(variantNode, itemPath.appending(key: "variant"), "variant must not be empty")
            }
            let weight = split["weight"].flatMap {
                number($0, at: itemPath.appending(key: "weight"), .range(ScenarioLimits.positiveWeight))
            }
            if let flow, let variant {
                splits.append(V3Split(flow: flow, variant: variant, weight: weight ?? 1))
            }
        }
        return splits
    }

    private mutating func decodeDeviation(_ node: Node, at path: String, flowIDs: [String]?, owner: String)
        -> Deviation?
    {
        guard let deviation = fields(node, at: path, allowed: ["rate", "from", "to"]) else { return nil }
        let rate = required(deviation, "rate").flatMap { number($0, at: path.appending(key: "rate"), .probability) }

        var targets: [WeightedFlow] = []
        var targetsComplete = false
        if let toNode = required(deviation, "to"), let items = list(toNode, at: path.appending(key: "to")) {
            targetsComplete = true
            if items.isEmpty {
                report(toNode, path.appending(key: "to"), "must list at least one target flow")
            }
            for (index, item) in items.enumerated() {
                let itemPath = path.appending(key: "to").appending(index: index)
                guard let target = fields(item, at: itemPath, allowed: ["flow", "weight"]) else {
                    targetsComplete = false
                    continue
                }
                let flowNode = required(target, "flow")
                let flow = flowNode.flatMap { string($0, at: itemPath.appending(key: "flow")) }
                let weight = target["weight"].flatMap {
                    number($0, at: itemPath.appending(key: "weight"), .range(ScenarioLimits.positiveWeight))
                }
                guard let flow, let flowNode else {
                    targetsComplete = false
                    continue
                }
                _ = checkFlowReference(
                    flow, flowNode, at: itemPath.appending(key: "flow"), flowIDs: flowIDs, owner: owner)
                targets.append(WeightedFlow(flow: flow, weight: weight ?? 1))
            }
        }
        let targetIDs = targets.map(\.flow)

        var sources: [String] = []
        if let fromNode = deviation["from"] {
            let fromPath = path.appending(key: "from")
            if let items = list(fromNode, at: fromPath) {
                if items.isEmpty {
                    report(
                        fromNode, fromPath,
                        "must list at least one flow (leave it out to mean every flow that is not a target)")
                }
                for (index, item) in items.enumerated() {
                    let itemPath = fromPath.appending(index: index)
                    guard let flow = string(item, at: itemPath) else { continue }
                    if checkFlowReference(flow, item, at: itemPath, flowIDs: flowIDs, owner: owner),
                        targetIDs.contains(flow)
                    {
                        report(item, itemPath, "flow '\(flow)' is both a deviation source and a deviation target")
                    }
                    sources.append(flow)
                }
            }
        } else if let flowIDs, targetsComplete {
            sources = flowIDs.filter { !targetIDs.contains($0) }
            if sources.isEmpty, !targetIDs.isEmpty {
                report(
                    node, path.appending(key: "from"),
                    "every flow of \(owner) is a deviation target, so no user can deviate; list the sources in 'from'")
            }
        }
        guard let rate else { return nil }
        return Deviation(rate: rate, from: sources, to: targets)
    }

    private mutating func decodeDrift(_ node: Node, at path: String, flowIDs: [String]?, owner: String, horizon: Int?)
        -> [Drift]
    {
        guard let items = list(node, at: path) else { return [] }
        var drifts: [Drift] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            guard let drift = fields(item, at: itemPath, allowed: ["day", "flow", "truth"]) else { continue }
            let dayNode = required(drift, "day")
            let day = dayNode.flatMap { integer($0, at: itemPath.appending(key: "day"), .range(ScenarioLimits.day)) }
            if let day, let dayNode, let horizon, mode == .scenario, day >= horizon {
                report(dayNode, itemPath.appending(key: "day"), beyondHorizon(day, horizon: horizon))
            }
            let flowNode = required(drift, "flow")
            let flow = flowNode.flatMap { string($0, at: itemPath.appending(key: "flow")) }
            if let flow, let flowNode {
                _ = checkFlowReference(
                    flow, flowNode, at: itemPath.appending(key: "flow"), flowIDs: flowIDs, owner: owner)
            }
            let patch = required(drift, "truth").flatMap { decodeTruthPatch($0, at: itemPath.appending(key: "truth")) }
            if let day, let flow, let patch {
                drifts.append(Drift(day: day, flow: flow, truth: patch))
            }
        }
        return drifts
    }
}
