extension Scenario {
    /// The scenario as YAML with every default written out, for `results/<name>/<run>/scenario.yaml`.
    ///
    /// Keys come in the order of the format (top level: name, description, seed, horizon_days, replicates, traffic,
    /// personas, objective, engine, governance, sweep, baseline, checks); lists keep their order; the baseline follows the sweep
    /// axes. Numbers are written in shortest round-trip form, so `ScenarioLoader.parse` of the text gives a scenario
    /// equal to this one (equality ignores locations). Optional parts that are absent (`weekly`, a persona's
    /// `deviation`, a flow's `truth` in engine configurations) are left out, and so are the keys of features a
    /// scenario does not use (`growth_per_month` of 0, an empty `trends` list), so older scenarios resolve as
    /// before; a deviation's `from` is always written. A single-period schedule from day 0 is written as
    /// `signups_per_day`.
    public func resolvedYAML() -> String {
        var top: [(key: String, value: YAMLTree)] = [
            ("name", .string(name)),
            ("description", .string(description)),
            ("seed", .integer(seed)),
            ("horizon_days", .integer(horizonDays)),
            ("replicates", .integer(replicates)),
            ("traffic", trafficTree()),
            ("personas", .sequence(personas.map(Scenario.personaTree), flow: false)),
        ]
        if let personaInference {
            top.append(("persona_inference", Scenario.inferenceTree(personaInference)))
        }
        top.append(
            (
                "objective",
                .mapping(
                    [
                        ("activation_7d", .number(objective.activation7d)),
                        ("retention_30d", .number(objective.retention30d)), ("speed", .number(objective.speed)),
                        ("speed_horizon_minutes", .number(objective.speedHorizonMinutes)),
                    ], flow: true)
            ))
        top.append(("engine", settingsTree(prefix: "engine")))
        top.append(("governance", settingsTree(prefix: "governance")))
        top.append(
            (
                "sweep",
                .mapping(
                    sweep.map { ($0.path, YAMLTree.sequence($0.values.map(YAMLTree.setting), flow: true)) },
                    flow: false)
            ))
        let sweptPaths = sweep.map(\.path)
        let baselineKeys =
            sweptPaths.filter { baseline[$0] != nil } + baseline.keys.filter { !sweptPaths.contains($0) }.sorted()
        top.append(
            (
                "baseline",
                .mapping(
                    baselineKeys.compactMap { key in baseline[key].map { (key, YAMLTree.setting($0)) } }, flow: false)
            ))
        top.append(("checks", .sequence(checks.map(Scenario.checkTree), flow: false)))
        let header = "# Resolved scenario '\(name)': every setting written out, defaults included.\n"
        return header + YAMLTree.mapping(top, flow: false).render()
    }

    private func trafficTree() -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = []
        if traffic.schedule.count == 1, let only = traffic.schedule.first, only.fromDay == 0 {
            entries.append(("signups_per_day", .number(only.perDay)))
        } else {
            let periods = traffic.schedule.map { period in
                YAMLTree.mapping(
                    [("from_day", .integer(period.fromDay)), ("per_day", .number(period.perDay))], flow: true)
            }
            entries.append(("schedule", .sequence(periods, flow: false)))
        }
        entries.append(("arrivals", .string(traffic.arrivals.rawValue)))
        if let weekly = traffic.weekly {
            entries.append(("weekly", .sequence(weekly.map(YAMLTree.number), flow: true)))
        }
        if traffic.growthPerMonth != 0 {
            entries.append(("growth_per_month", .number(traffic.growthPerMonth)))
        }
        return .mapping(entries, flow: false)
    }

    private static func personaTree(_ persona: Persona) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = [
            ("id", .string(persona.id)),
            ("share", .number(persona.share)),
            ("activation_event", .string(persona.activationEvent)),
            (
                "v3_default",
                .sequence(
                    persona.v3Default.map { split in
                        .mapping(
                            [
                                ("flow", .string(split.flow)), ("variant", .string(split.variant)),
                                ("weight", .number(split.weight)),
                            ],
                            flow: true)
                    }, flow: false)
            ),
            ("flows", .sequence(persona.flows.map(flowTree), flow: false)),
        ]
        if let funnel = persona.funnel { entries.append(("funnel", funnelTree(funnel))) }
        if let delays = persona.outcomeDelays {
            var delayEntries: [(key: String, value: YAMLTree)] = []
            if let retention = delays.retention { delayEntries.append(("retention", delayTree(retention))) }
            if let upgrade = delays.upgrade { delayEntries.append(("upgrade", delayTree(upgrade))) }
            entries.append(("outcome_delays", .mapping(delayEntries, flow: false)))
        }
        if let deviation = persona.deviation {
            entries.append(
                (
                    "deviation",
                    .mapping(
                        [
                            ("rate", .number(deviation.rate)),
                            ("from", .sequence(deviation.from.map(YAMLTree.string), flow: true)),
                            (
                                "to",
                                .sequence(
                                    deviation.to.map { target in
                                        .mapping(
                                            [("flow", .string(target.flow)), ("weight", .number(target.weight))],
                                            flow: true)
                                    }, flow: false)
                            ),
                        ], flow: false)
                ))
        }
        entries.append(
            (
                "drift",
                .sequence(
                    persona.drift.map { drift in
                        .mapping(
                            [
                                ("day", .integer(drift.day)), ("flow", .string(drift.flow)),
                                ("truth", patchTree(drift.truth)),
                            ], flow: true)
                    }, flow: false)
            ))
        if !persona.trends.isEmpty {
            entries.append(("trends", .sequence(persona.trends.map(trendTree), flow: false)))
        }
        return .mapping(entries, flow: false)
    }

    private static func trendTree(_ trend: Trend) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = []
        if let flow = trend.flow { entries.append(("flow", .string(flow))) }
        entries.append(("field", .string(trend.field.rawValue)))
        let parameters: [(key: String, value: YAMLTree)]
        switch trend.shape {
        case .ramp(let from, let to, let startDay, let endDay):
            parameters = [
                ("from", .number(from)), ("to", .number(to)), ("start_day", .integer(startDay)),
                ("end_day", .integer(endDay)),
            ]
        case .sine(let amplitude, let periodDays, let phaseDays):
            parameters = [
                ("amplitude", .number(amplitude)), ("period_days", .number(periodDays)),
                ("phase_days", .number(phaseDays)),
            ]
        case .decay(let lift, let halfLifeDays):
            parameters = [("lift", .number(lift)), ("half_life_days", .number(halfLifeDays))]
        }
        entries.append((trend.shape.key, .mapping(parameters, flow: true)))
        return .mapping(entries, flow: true)
    }

    private static func flowTree(_ flow: Flow) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = [
            ("id", .string(flow.id)),
            ("steps", .sequence(flow.steps.map(YAMLTree.string), flow: true)),
            ("candidate", .bool(flow.candidate)),
            ("introduced_day", .integer(flow.introducedDay)),
        ]
        if let truth = flow.truth {
            entries.append(
                (
                    "truth",
                    .mapping(
                        [
                            ("activation_7d", rateTree(truth.activation7d, truth.spread.activation)),
                            ("retention_30d", retentionTree(truth.retention30d, truth.spread.retention)),
                            ("upgrade", upgradeTree(truth.upgrade)),
                            ("time_to_first_win", timeTree(truth.timeToFirstWin)),
                        ], flow: false)
                ))
        }
        if let funnel = flow.funnel { entries.append(("funnel", funnelTree(funnel))) }
        return .mapping(entries, flow: false)
    }

    private static func funnelTree(_ funnel: [StepContinuation]) -> YAMLTree {
        .mapping(funnel.map { ($0.step, .number($0.probability)) }, flow: true)
    }

    private static func upgradeTree(_ upgrade: Upgrade) -> YAMLTree {
        switch upgrade {
        case .flat(let probability):
            return .number(probability)
        case .ifRetained(let yes, let no):
            return .mapping([("if_retained", .number(yes)), ("if_not_retained", .number(no))], flow: true)
        case .ifActivated(let yes, let no):
            return .mapping([("if_activated", .number(yes)), ("if_not", .number(no))], flow: true)
        }
    }

    private static func delayTree(_ delay: OutcomeDelay) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = [
            ("distribution", .string(delay.distribution.rawValue)),
            ("median_days", .number(delay.medianDays)),
        ]
        if delay.distribution == .lognormal { entries.append(("sigma", .number(delay.sigma))) }
        entries.append(("max_days", .number(delay.maxDays)))
        return .mapping(entries, flow: true)
    }

    private static func patchTree(_ patch: TruthPatch) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = []
        if let activation = patch.activation7d { entries.append(("activation_7d", .number(activation))) }
        if let retention = patch.retention30d { entries.append(("retention_30d", retentionTree(retention))) }
        if let upgrade = patch.upgrade { entries.append(("upgrade", upgradeTree(upgrade))) }
        if let time = patch.timeToFirstWin { entries.append(("time_to_first_win", timeTree(time))) }
        return .mapping(entries, flow: true)
    }

    private static func retentionTree(_ retention: Retention, _ concentration: Double? = nil) -> YAMLTree {
        switch retention {
        case .flat(let probability):
            return rateTree(probability, concentration)
        case .conditional(let ifActivated, let ifNot):
            var entries: [(key: String, value: YAMLTree)] = [
                ("if_activated", .number(ifActivated)), ("if_not", .number(ifNot)),
            ]
            if let concentration { entries.append(("concentration", concentrationTree(concentration))) }
            return .mapping(entries, flow: true)
        }
    }

    /// A probability, or `{mean, concentration}` when users vary around it.
    private static func rateTree(_ mean: Double, _ concentration: Double?) -> YAMLTree {
        guard let concentration else { return .number(mean) }
        return .mapping([("mean", .number(mean)), ("concentration", concentrationTree(concentration))], flow: true)
    }

    private static func concentrationTree(_ value: Double) -> YAMLTree {
        value == .infinity ? .scalar(".inf") : .number(value)
    }

    private static func inferenceTree(_ inference: PersonaInference) -> YAMLTree {
        func matrix(_ rows: [InferenceRow]) -> YAMLTree {
            .mapping(
                rows.map { row in
                    (row.persona, .mapping(row.inferred.map { ($0.persona, YAMLTree.number($0.share)) }, flow: true))
                }, flow: false)
        }
        if inference.periods.count == 1, let only = inference.periods.first, only.fromDay == 0 {
            return matrix(only.rows)
        }
        return .sequence(
            inference.periods.map {
                .mapping([("from_day", .integer($0.fromDay)), ("matrix", matrix($0.rows))], flow: false)
            },
            flow: false)
    }

    private static func timeTree(_ time: TimeToWin) -> YAMLTree {
        var entries: [(key: String, value: YAMLTree)] = [
            ("distribution", .string(time.distribution.rawValue)),
            ("median_minutes", .number(time.medianMinutes)),
        ]
        if time.distribution == .lognormal { entries.append(("sigma", .number(time.sigma))) }
        return .mapping(entries, flow: true)
    }

    private static func checkTree(_ check: Check) -> YAMLTree {
        .mapping(
            [
                ("persona", .string(check.persona)),
                ("champion_is_true_best_by_day", .integer(check.championIsTrueBestByDay)),
                ("min_probability", .number(check.minProbability)),
            ], flow: true)
    }

    /// The `engine` or `governance` block from the setting paths: top-level settings in block style, nested
    /// groups (weights, exploration priority) in flow style.
    private func settingsTree(prefix: String) -> YAMLTree {
        func tree(_ prefix: String, flow: Bool) -> YAMLTree {
            .mapping(
                Setting.childKeys(of: prefix).map { key in
                    let path = prefix + "." + key
                    if let setting = Setting(rawValue: path) {
                        return (key, YAMLTree.setting(setting.value(in: self)))
                    }
                    return (key, tree(path, flow: true))
                }, flow: flow)
        }
        return tree(prefix, flow: false)
    }
}
