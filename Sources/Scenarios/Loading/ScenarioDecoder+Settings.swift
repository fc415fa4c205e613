import Yams

extension ScenarioDecoder {
    /// What the sweep block yielded: its axes, the keys written (valid or not, so the baseline does not report them
    /// again), and the axes with an unreadable value (whose baseline values cannot be checked).
    struct SweepResult {
        var axes: [SweepAxis] = []
        var writtenKeys: Set<String> = []
        var incompleteKeys: Set<String> = []
    }

    /// Reads the `engine` or `governance` block (or a mapping nested in it) into `scenario`. The allowed keys come
    /// from the setting paths, so a diagnostic's path is the setting path.
    mutating func decodeSettingsBlock(
        _ node: Node, prefix: String, into scenario: inout Scenario, nodes: inout [String: Node]
    ) {
        guard let block = fields(node, at: prefix, allowed: Setting.childKeys(of: prefix)) else { return }
        nodes[prefix] = node
        for entry in block.entries {
            let path = prefix.appending(key: entry.key)
            if let setting = Setting(rawValue: path) {
                if let value = value(entry.value, at: path, setting.kind, setting.rule) {
                    setting.set(value, in: &scenario)
                }
            } else {
                decodeSettingsBlock(entry.value, prefix: path, into: &scenario, nodes: &nodes)
            }
        }
    }

    mutating func decodeSweep(_ node: Node, base: Scenario) -> SweepResult {
        var result = SweepResult()
        guard case .mapping(let mapping) = node else {
            report(node, "sweep", "expected a mapping from setting paths to lists of values, found \(found(node))")
            return result
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let path = "sweep".appending(key: key)
            result.writtenKeys.insert(key)
            guard let setting = Setting(rawValue: key) else {
                report(keyNode, path, Setting.unknownReason(key))
                continue
            }
            guard let items = list(valueNode, at: path) else {
                result.incompleteKeys.insert(key)
                continue
            }
            if items.isEmpty {
                report(valueNode, path, "must list at least one value")
                result.incompleteKeys.insert(key)
                continue
            }
            var values: [SettingValue] = []
            for (index, item) in items.enumerated() {
                let itemPath = path.appending(index: index)
                guard let value = value(item, at: itemPath, setting.kind, setting.rule) else {
                    result.incompleteKeys.insert(key)
                    continue
                }
                if let first = values.firstIndex(of: value) {
                    report(item, itemPath, "value \(value) is listed twice (already \(path.appending(index: first)))")
                    continue
                }
                values.append(value)
            }
            result.axes.append(SweepAxis(path: key, values: values, location: location(of: keyNode)))
        }
        checkGrid(result, base: base, sweepNode: node)
        return result
    }

    /// Reports the first configuration of the grid that breaks a rule involving several settings (all weights zero,
    /// thresholds out of order). Only the axes of such settings are combined, so the check stays small however large
    /// the grid is.
    private mutating func checkGrid(_ sweep: SweepResult, base: Scenario, sweepNode: Node) {
        let axes = sweep.axes.filter { Setting(rawValue: $0.path)?.isCrossField ?? false }
        guard base.crossFieldProblems().isEmpty, axes.allSatisfy({ !sweep.incompleteKeys.contains($0.path) }) else {
            return
        }
        var reported: Set<String> = []
        for configuration in Scenario.grid(axes) where !configuration.isEmpty {
            var scenario = base
            for (path, value) in configuration {
                Setting(rawValue: path)?.set(value, in: &scenario)
            }
            for problem in scenario.crossFieldProblems() where !reported.contains(problem.path) {
                reported.insert(problem.path)
                let values = axes.compactMap { axis in configuration[axis.path].map { "\(axis.path)=\($0)" } }
                report(
                    sweepNode, "sweep",
                    "the configuration \(values.joined(separator: ", ")) is invalid: \(problem.path): \(problem.reason)"
                )
            }
        }
    }

    mutating func decodeBaseline(_ node: Node, sweep: SweepResult) -> [String: SettingValue] {
        guard case .mapping(let mapping) = node else {
            report(node, "baseline", "expected a mapping from swept setting paths to values, found \(found(node))")
            return [:]
        }
        var baseline: [String: SettingValue] = [:]
        let swept = sweep.axes.map(\.path)
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let path = "baseline".appending(key: key)
            guard let setting = Setting(rawValue: key) else {
                if !sweep.writtenKeys.contains(key) { report(keyNode, path, Setting.unknownReason(key)) }
                continue
            }
            guard let axis = sweep.axes.first(where: { $0.path == key }) else {
                if !sweep.writtenKeys.contains(key) {
                    let list = swept.isEmpty ? "there is no sweep" : "swept: \(swept.joined(separator: ", "))"
                    report(keyNode, path, "'\(key)' is not swept; the baseline can only name swept settings (\(list))")
                }
                continue
            }
            guard let value = value(valueNode, at: path, setting.kind, setting.rule) else { continue }
            if !sweep.incompleteKeys.contains(key), !axis.values.contains(value) {
                let values = axis.values.map(\.description).joined(separator: ", ")
                report(valueNode, path, "\(value) is not among the swept values \(values)")
                continue
            }
            baseline[key] = value
        }
        return baseline
    }
}
