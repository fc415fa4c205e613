import Yams

/// Reads a composed YAML tree into a `Scenario`, collecting every problem as a `Diagnostic` instead of stopping at
/// the first.
///
/// Each reader returns `nil` (or a fallback) after reporting; the caller throws when any diagnostic was reported,
/// so fallbacks never escape. Reference checks (flows named by `v3_default`, personas named by checks, …) are skipped
/// when the ids they refer to could not be read, so one mistake is not reported twice.
struct ScenarioDecoder {
    let file: String
    let mode: ScenarioLoader.Mode
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, mode: ScenarioLoader.Mode) {
        self.file = file
        self.mode = mode
    }

    /// The entries of a mapping whose keys were all allowed (unknown keys are reported and left out).
    struct Fields {
        let node: Node
        let path: String
        let entries: [(key: String, keyNode: Node, value: Node)]
        /// Allowed keys suggested for misspelt ones: they are not reported again as missing.
        let suggested: Set<String>

        subscript(key: String) -> Node? {
            entries.first { $0.key == key }?.value
        }

        func keyNode(_ key: String) -> Node? {
            entries.first { $0.key == key }?.keyNode
        }
    }

    // MARK: Reporting

    func location(of node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func report(_ node: Node, _ path: String, _ reason: String) {
        diagnostics.append(Diagnostic(location: location(of: node), path: path, reason: reason))
    }

    mutating func report(at location: SourceLocation, _ path: String, _ reason: String) {
        diagnostics.append(Diagnostic(location: location, path: path, reason: reason))
    }

    /// How a diagnostic names a node of the wrong type: `string 'abc'`, `a list`, `null`.
    func found(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            let text = scalar.string
            switch node.tagName {
            case .str: return "string '\(text)'"
            case .int: return "integer \(text)"
            case .float: return "number \(text)"
            case .bool: return "boolean \(text)"
            case .null: return text.isEmpty ? "an empty value" : "null"
            case .timestamp: return "timestamp '\(text)'"
            default: return "'\(text)' tagged \(node.tag.rawValue)"
            }
        }
    }

    // MARK: Structure

    /// The node as a mapping whose keys must be among `allowed`; reports a wrong type and each unknown key.
    ///
    /// YAML merge keys (`<<: *anchor`, or a list of anchors) are expanded: keys written in the mapping win, then
    /// the merged mappings in order.
    mutating func fields(_ node: Node, at path: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping, found \(found(node))")
            return nil
        }
        var pairs: [(key: Node, value: Node)] = []
        var merged: [(key: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard keyNode.tagName == .merge else {
                pairs.append((keyNode, value))
                continue
            }
            let sources: [Node]
            if case .sequence(let sequence) = value { sources = Array(sequence) } else { sources = [value] }
            for source in sources {
                guard case .mapping(let sourceMapping) = source else {
                    report(
                        source, path, "a merge key '<<' takes a mapping or a list of mappings, found \(found(source))")
                    continue
                }
                merged.append(contentsOf: sourceMapping.map { ($0.key, $0.value) })
            }
        }
        for pair in merged where !pairs.contains(where: { $0.key.scalar?.string == pair.key.scalar?.string }) {
            pairs.append(pair)
        }

        var entries: [(key: String, keyNode: Node, value: Node)] = []
        var suggested: Set<String> = []
        for (keyNode, value) in pairs {
            guard case .scalar(let scalar) = keyNode else {
                report(keyNode, path, "keys must be plain text, found \(found(keyNode)) as a key")
                continue
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                var reason = "unknown key '\(key)'"
                if let suggestion = Suggestion.closest(to: key, among: allowed) {
                    reason += " (did you mean '\(suggestion)'?)"
                    suggested.insert(suggestion)
                }
                reason += "; allowed keys: \(allowed.joined(separator: ", "))"
                report(keyNode, path.appending(key: key), reason)
                continue
            }
            entries.append((key, keyNode, value))
        }
        return Fields(node: node, path: path, entries: entries, suggested: suggested)
    }

    /// The value of a required key; reports the key as missing at the mapping, unless a misspelling of it was
    /// already reported.
    mutating func required(_ fields: Fields, _ key: String, because why: String? = nil) -> Node? {
        if let node = fields[key] { return node }
        if fields.suggested.contains(key) { return nil }
        var reason = "missing required key '\(key)'"
        if let why { reason += " (\(why))" }
        report(fields.node, fields.path.appending(key: key), reason)
        return nil
    }

    /// The node's items; reports a node that is not a list.
    mutating func list(_ node: Node, at path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list, found \(found(node))")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    /// The scalar's value by its resolved YAML tag (`str`, `int`, `float`, `bool`), or `nil` for anything else
    /// (null, timestamps, non-finite numbers, collections).
    func scalarValue(_ node: Node) -> SettingValue? {
        guard case .scalar(let scalar) = node else { return nil }
        switch node.tagName {
        case .str:
            return .string(scalar.string)
        case .int:
            if let integer = Int.construct(from: scalar) { return .integer(integer) }
            // Too large for Int: keep the magnitude, so the range check can say what is wrong.
            return Double.construct(from: scalar).flatMap { $0.isFinite ? .number($0) : nil }
        case .float:
            return Double.construct(from: scalar).flatMap { $0.isFinite ? .number($0) : nil }
        case .bool:
            return Bool.construct(from: scalar).map { .bool($0) }
        default:
            return nil
        }
    }

    /// A scalar of `kind` satisfying `rule`; reports and returns `nil` otherwise.
    mutating func value(_ node: Node, at path: String, _ kind: ValueKind, _ rule: ValueRule = .any) -> SettingValue? {
        guard let raw = scalarValue(node) else {
            var reason = "expected \(kind.expected), found \(found(node))"
            if kind == .number || kind == .integer, case .scalar = node, node.tagName == .float {
                reason = "expected a finite number, found \(found(node))"
            } else if kind == .string, case .scalar = node, node.tagName != .null {
                reason += " (put it in quotes to use it as text)"
            }
            report(node, path, reason)
            return nil
        }
        switch rule.check(raw, as: kind) {
        case .success(let value): return value
        case .failure(let problem):
            report(node, path, problem.reason)
            return nil
        }
    }

    mutating func number(_ node: Node, at path: String, _ rule: ValueRule = .any) -> Double? {
        value(node, at: path, .number, rule)?.doubleValue
    }

    mutating func integer(_ node: Node, at path: String, _ rule: ValueRule = .any) -> Int? {
        value(node, at: path, .integer, rule)?.intValue
    }

    mutating func boolean(_ node: Node, at path: String) -> Bool? {
        value(node, at: path, .boolean)?.boolValue
    }

    mutating func string(_ node: Node, at path: String, _ rule: ValueRule = .any) -> String? {
        value(node, at: path, .string, rule)?.stringValue
    }

    /// A persona, flow or step id: non-empty, no whitespace, none of `>`, `[`, `]`, `:`.
    mutating func identifier(_ node: Node, at path: String, what: String) -> String? {
        guard let text = string(node, at: path) else { return nil }
        if text.isEmpty {
            report(node, path, "\(what) must not be empty")
            return nil
        }
        if text.contains(where: { $0.isWhitespace || ">[]:".contains($0) }) {
            report(node, path, "invalid \(what) '\(text)': ids must not contain whitespace or any of > [ ] :")
            return nil
        }
        return text
    }
}

extension String {
    /// `a.b` for a key below this path (just the key at the root).
    func appending(key: String) -> String {
        isEmpty ? key : self + "." + key
    }

    /// `a[3]` for an item of the list at this path.
    func appending(index: Int) -> String {
        self + "[\(index)]"
    }
}

extension Node {
    /// The resolved YAML tag (`str`, `int`, `float`, `bool`, `null`, …) by the default (YAML 1.1) resolver.
    var tagName: Tag.Name {
        Tag.Name(rawValue: tag.rawValue)
    }
}
