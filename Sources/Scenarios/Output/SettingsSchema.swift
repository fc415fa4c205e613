import Foundation
import OnboardingEngine

/// The parts of `scenarios/scenario.schema.json` that describe settings and limits, generated from
/// ``EngineSettings/table`` and ``ScenarioLimits``: `$defs.engine`, `$defs.governance`, `properties.sweep.properties`,
/// `properties.baseline.properties`, `horizon_days`, `replicates`, and the ranges of traffic, shares,
/// time-to-first-win and the numbers of flows and personas (``applyLimits(to:properties:)``).
///
/// ``schema(updating:)`` writes them into the rest of the schema (which is hand-written), sorted-key JSON, so the
/// committed file can be compared byte for byte with the generated one (`SchemaTests`).
public enum SettingsSchema {
    /// Descriptions of the nested groups (every leaf's comes from the table).
    static let groupDescriptions = [
        "engine": "Engine settings; the defaults are the seed's.",
        "governance": "Governance laws (SPEC §1.7).",
        "engine.weights": "Win-score weights; each ≥ 0, not all zero.",
        "engine.exploration_priority": "Exploration priority by sample size.",
        "engine.exploration_priority.thresholds": "Sample-size thresholds (low ≤ high).",
    ]

    /// The JSON Schema of one value of a setting (type, range or enum), without description or default.
    static func valueSchema(_ descriptor: SettingDescriptor) -> [String: Any] {
        var schema: [String: Any] = [:]
        switch descriptor.kind {
        case .number: schema["type"] = "number"
        case .integer: schema["type"] = "integer"
        case .boolean: schema["type"] = "boolean"
        case .choice(let allowed):
            schema["type"] = "string"
            schema["enum"] = allowed
        }
        if let range = descriptor.range {
            schema.merge(rangeSchema(range, integer: descriptor.kind == .integer)) { $1 }
        }
        return schema
    }

    static func rangeSchema(_ range: SettingRange, integer: Bool) -> [String: Any] {
        func bound(_ value: Double) -> Any { integer ? Int(value) : value }
        return [
            range.lowerExclusive ? "exclusiveMinimum" : "minimum": bound(range.lower), "maximum": bound(range.upper),
        ]
    }

    static func defaultValue(_ descriptor: SettingDescriptor) -> Any {
        switch (descriptor.kind, descriptor.defaultValue) {
        case (.boolean, .integer(let v)): return v != 0
        case (_, .real(let v)): return v
        case (_, .integer(let v)): return v
        case (_, .text(let v)): return v
        }
    }

    /// The `engine` or `governance` block (or a group nested in it).
    static func block(_ prefix: String) -> [String: Any] {
        var properties: [String: Any] = [:]
        for key in Setting.childKeys(of: prefix) {
            let path = prefix + "." + key
            if let descriptor = EngineSettings.descriptor(path: path) {
                var leaf = valueSchema(descriptor)
                leaf["description"] = descriptor.summary
                leaf["default"] = defaultValue(descriptor)
                properties[key] = leaf
            } else {
                properties[key] = block(path)
            }
        }
        var schema: [String: Any] = ["type": "object", "additionalProperties": false, "properties": properties]
        if let description = groupDescriptions[prefix] { schema["description"] = description }
        return schema
    }

    /// The ``ScenarioLimits`` of values outside the settings: traffic, shares, time-to-first-win, objective, and
    /// the number of flows and personas.
    static func applyLimits(to defs: inout [String: Any], properties: inout [String: Any]) throws {
        func merge(_ object: inout [String: Any], _ path: [String], _ extra: [String: Any]) throws {
            guard let key = path.first else {
                object.merge(extra) { $1 }
                return
            }
            guard var child = object[key] as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
            try merge(&child, Array(path.dropFirst()), extra)
            object[key] = child
        }
        func range(_ limit: SettingRange) -> [String: Any] { rangeSchema(limit, integer: false) }
        try merge(&defs, ["period", "properties", "per_day"], range(ScenarioLimits.signupsPerDay))
        if var traffic = defs["traffic"] as? [String: Any], var props = traffic["properties"] as? [String: Any],
            var signups = props["signups_per_day"] as? [String: Any], var choices = signups["oneOf"] as? [Any],
            var number = choices.first as? [String: Any]
        {
            number.merge(range(ScenarioLimits.signupsPerDay)) { $1 }
            choices[0] = number
            signups["oneOf"] = choices
            props["signups_per_day"] = signups
            traffic["properties"] = props
            defs["traffic"] = traffic
        } else {
            throw CocoaError(.coderReadCorrupt)
        }
        try merge(&defs, ["traffic", "properties", "weekly", "items"], range(ScenarioLimits.weeklyMultiplier))
        try merge(&defs, ["persona", "properties", "share"], range(ScenarioLimits.positiveWeight))
        try merge(&defs, ["time_to_first_win", "properties", "sigma"], range(ScenarioLimits.sigma))
        try merge(&defs, ["time_to_first_win", "properties", "median_minutes"], range(ScenarioLimits.minutes))
        try merge(&defs, ["persona", "properties", "flows"], ["maxItems": ScenarioLimits.flowsPerPersona.upperBound])
        try merge(&properties, ["personas"], ["maxItems": ScenarioLimits.personas.upperBound])
        for weight in ["activation_7d", "retention_30d", "speed"] {
            try merge(&properties, ["objective", "properties", weight], range(ScenarioLimits.weight))
        }
        try merge(&properties, ["objective", "properties", "speed_horizon_minutes"], range(ScenarioLimits.minutes))
    }

    /// The schema with its generated parts replaced, as sorted-key, pretty-printed JSON ending in a newline.
    public static func schema(updating text: Data) throws -> String {
        guard var root = try JSONSerialization.jsonObject(with: text) as? [String: Any],
            var defs = root["$defs"] as? [String: Any], var properties = root["properties"] as? [String: Any],
            var sweep = properties["sweep"] as? [String: Any], var baseline = properties["baseline"] as? [String: Any],
            var horizon = properties["horizon_days"] as? [String: Any],
            var replicates = properties["replicates"] as? [String: Any]
        else { throw CocoaError(.coderReadCorrupt) }
        defs["engine"] = block("engine")
        defs["governance"] = block("governance")
        var sweepProperties: [String: Any] = [:]
        var baselineProperties: [String: Any] = [:]
        for descriptor in EngineSettings.table {
            sweepProperties[descriptor.path] = [
                "type": "array", "minItems": 1, "uniqueItems": true, "items": valueSchema(descriptor),
                "description": "Values of \(descriptor.path) to sweep.",
            ]
            var baselineValue = valueSchema(descriptor)
            baselineValue["description"] = "Baseline value of \(descriptor.path); must be one of its swept values."
            baselineProperties[descriptor.path] = baselineValue
        }
        sweep["properties"] = sweepProperties
        baseline["properties"] = baselineProperties
        try applyLimits(to: &defs, properties: &properties)
        horizon.merge(rangeSchema(ScenarioLimits.horizonDays, integer: true)) { $1 }
        replicates.merge(rangeSchema(ScenarioLimits.replicates, integer: true)) { $1 }
        properties["sweep"] = sweep
        properties["baseline"] = baseline
        properties["horizon_days"] = horizon
        properties["replicates"] = replicates
        root["$defs"] = defs
        root["properties"] = properties
        let data = try JSONSerialization.data(
            withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
