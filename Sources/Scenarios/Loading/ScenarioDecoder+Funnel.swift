import Yams

/// Step funnels, conditional upgrade and outcome delays (README, "Step funnels" and "Outcome structure and
/// delays").
extension ScenarioDecoder {
    static let delayKeys = ["distribution", "median_days", "sigma", "max_days"]

    /// A funnel `{step: probability}` whose steps must be among `steps` (unknown ones are reported with the
    /// allowed steps); nil after reporting when it is not a non-empty mapping.
    mutating func decodeFunnel(_ node: Node, at path: String, steps: [String]) -> [StepContinuation]? {
        guard let funnel = fields(node, at: path, allowed: steps) else { return nil }
        if case .mapping(let mapping) = node, mapping.isEmpty {
            report(node, path, "a funnel must list at least one step (leave it out for no funnel)")
            return nil
        }
        return funnel.entries.compactMap { entry in
            number(entry.value, at: path.appending(key: entry.key), .probability).map {
                StepContinuation(step: entry.key, probability: $0)
            }
        }
    }

    /// `upgrade`: a probability, `{if_retained, if_not_retained}` or `{if_activated, if_not}`.
    mutating func decodeUpgrade(_ node: Node, at path: String) -> Upgrade? {
        switch node {
        case .mapping:
            let allowed = ["if_retained", "if_not_retained", "if_activated", "if_not"]
            guard let upgrade = fields(node, at: path, allowed: allowed) else { return nil }
            let byRetention = upgrade["if_retained"] != nil || upgrade["if_not_retained"] != nil
            let keys = byRetention ? ["if_retained", "if_not_retained"] : ["if_activated", "if_not"]
            for other in allowed where !keys.contains(other) {
                if let keyNode = upgrade.keyNode(other) {
                    report(
                        keyNode, path.appending(key: other),
                        "'\(other)' cannot be combined with '\(keys[0])': an upgrade is conditional on retention "
                            + "{if_retained, if_not_retained} or on activation {if_activated, if_not}")
                }
            }
            let values = keys.map { key in
                required(upgrade, key).flatMap { number($0, at: path.appending(key: key), .probability) }
            }
            guard let yes = values[0], let no = values[1] else { return nil }
            return byRetention ? .ifRetained(yes: yes, no: no) : .ifActivated(yes: yes, no: no)
        case .scalar where node.tagName == .int || node.tagName == .float:
            return number(node, at: path, .probability).map { .flat($0) }
        default:
            report(
                node, path,
                "expected a probability or a mapping {if_retained, if_not_retained} or {if_activated, if_not}, "
                    + "found \(found(node))")
            return nil
        }
    }

    /// `outcome_delays: {retention: delay, upgrade: delay}`.
    mutating func decodeOutcomeDelays(_ node: Node, at path: String) -> OutcomeDelays? {
        guard let delays = fields(node, at: path, allowed: ["retention", "upgrade"]) else { return nil }
        if delays.entries.isEmpty, delays.suggested.isEmpty {
            report(node, path, "must set retention or upgrade (leave it out to record both at day 30)")
            return nil
        }
        return OutcomeDelays(
            retention: delays["retention"].flatMap { decodeOutcomeDelay($0, at: path.appending(key: "retention")) },
            upgrade: delays["upgrade"].flatMap { decodeOutcomeDelay($0, at: path.appending(key: "upgrade")) })
    }

    private mutating func decodeOutcomeDelay(_ node: Node, at path: String) -> OutcomeDelay? {
        guard let delay = fields(node, at: path, allowed: Self.delayKeys) else { return nil }
        let distribution = delay["distribution"].flatMap {
            string($0, at: path.appending(key: "distribution"), .oneOf(Distribution.allCases.map(\.rawValue)))
        }.flatMap(Distribution.init(rawValue:))
        let median = delay["median_days"].flatMap {
            number($0, at: path.appending(key: "median_days"), .range(ScenarioLimits.delayDays))
        }
        let sigma = delay["sigma"].flatMap {
            number($0, at: path.appending(key: "sigma"), .range(ScenarioLimits.sigma))
        }
        let maxDays = delay["max_days"].flatMap {
            number($0, at: path.appending(key: "max_days"), .range(ScenarioLimits.delayDays))
        }
        let defaults = OutcomeDelay()
        let resolved = distribution ?? (delay["distribution"] == nil ? defaults.distribution : nil)
        if let resolved, resolved != .lognormal, let sigmaKey = delay.keyNode("sigma") {
            report(
                sigmaKey, path.appending(key: "sigma"),
                "sigma applies only to the lognormal distribution, not to \(resolved.rawValue)")
        }
        let result = OutcomeDelay(
            distribution: resolved ?? defaults.distribution, medianDays: median ?? defaults.medianDays,
            sigma: sigma ?? defaults.sigma, maxDays: maxDays ?? defaults.maxDays)
        // Compared only when both values are valid or defaults (an invalid one was reported already).
        let comparable = (median != nil || delay["median_days"] == nil) && (maxDays != nil || delay["max_days"] == nil)
        if resolved == .fixed, comparable, result.medianDays > result.maxDays {
            report(
                delay["median_days"] ?? node, path.appending(key: "median_days"),
                "a fixed delay of \(SettingValue.format(result.medianDays)) days exceeds max_days "
                    + "\(SettingValue.format(result.maxDays))")
        }
        return result
    }
}
