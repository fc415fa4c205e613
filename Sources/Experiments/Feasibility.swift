import OnboardingEngine
import Scenarios
import Simulation

/// A setting that cannot work for the scenario's traffic or structure (issue 7, item 7). A warning, not an error:
/// the run goes ahead and its exit code is unchanged.
public struct FeasibilityWarning: Sendable, Equatable, CustomStringConvertible {
    /// The persona concerned, if one.
    public var persona: String?
    /// The setting or scenario path to change (`engine.min_champion_sample`, `personas[0].flows[2]`, `checks[1]`).
    public var path: String
    /// The configurations of a sweep it applies to (`c2 (engine.epsilon=0.05)`); empty when it applies to every
    /// configuration.
    public var configurations: [String]
    public var message: String

    public init(persona: String?, path: String, configurations: [String] = [], message: String) {
        self.persona = persona
        self.path = path
        self.configurations = configurations
        self.message = message
    }

    /// `path: message`, with `(under c1 (engine.epsilon=0.3), …)` when it does not apply to every configuration.
    public var description: String {
        let under = configurations.isEmpty ? "" : " (under \(configurations.joined(separator: ", ")))"
        return "\(path): \(message)\(under)"
    }
}

/// Settings that cannot work for a scenario, found without running it: a pure function of the scenario.
///
/// - **Minimum sample out of reach** (policies `seed-epsilon-greedy` and `epsilon-greedy`): a flow that is not in
///   the v3 default (a candidate or a deviation target) collects users only through exploration and deviation.
///   Its expected users inside the learning window are estimated as
///   `signups/day of the persona × min(window_days, horizon − introduced day) × (ε share + deviation share)`,
///   where the ε share is ε_eff / (flows the engine can know − 1) (the seed policy explores non-champions; once
///   every sample passes the priority thresholds their priorities are equal) or ε_eff / flows (textbook
///   ε-greedy explores all flows), and the deviation share is the deviation rate × the v3 default's share of the
///   `from` flows × the target's weight share. Below the effective min_champion_sample the flow can never become
///   champion. A persona none of whose v3 default flows reaches it either never elects a champion. Thompson,
///   UCB1, ab-test and v3-default allocate without a minimum-sample rule of their own: no estimate.
/// - **Unreachable flows**: neither in the v3 default, a candidate, nor a deviation target; or a candidate
///   introduced at or after the horizon.
/// - **ε above the law**: clamped to governance.max_epsilon (ε policies only).
/// - **An A/B test longer than the run** (`ab-test` with ab_test_days ≥ horizon): it never fixes a flow.
/// - **Checks**: at or after the horizon (a shortened run drops them), or on a day when the persona can be shown
///   a single flow, or before one of its candidates is introduced.
///
/// Sweeps are evaluated per configuration; a warning that holds for some configurations only names them.
public enum Feasibility {
    /// The warnings of `scenario` over every configuration of its sweep, with the run's horizon (default the
    /// scenario's) and traffic scale. `checks` are the checks to judge (default the scenario's; a shortened run
    /// passes the file's, which it dropped).
    public static func warnings(
        for scenario: Scenario, horizon: Int? = nil, scale: Double = 1, checks: [Check]? = nil
    ) -> [FeasibilityWarning] {
        let horizon = horizon ?? scenario.horizonDays
        var result = structural(scenario, horizon: horizon, checks: checks ?? scenario.checks)
        let grid = scenario.configurations()
        var perConfig: [(warning: FeasibilityWarning, configs: [String])] = []
        for (i, overrides) in grid.enumerated() {
            guard let applied = try? scenario.applying(overrides) else { continue }
            let label =
                overrides.isEmpty
                ? "c\(i)"
                : "c\(i) ("
                    + overrides.keys.sorted().map { "\($0)=\(overrides[$0]?.description ?? "")" }.joined(
                        separator: ", ") + ")"
            for w in settingWarnings(applied, horizon: horizon, scale: scale) {
                if let k = perConfig.firstIndex(where: { $0.warning == w }) {
                    perConfig[k].configs.append(label)
                } else {
                    perConfig.append((w, [label]))
                }
            }
        }
        for entry in perConfig {
            var w = entry.warning
            if grid.count > 1 && entry.configs.count < grid.count { w.configurations = entry.configs }
            result.append(w)
        }
        return result
    }

    // MARK: Structure (independent of the settings)

    static func structural(_ scenario: Scenario, horizon: Int, checks: [Check]) -> [FeasibilityWarning] {
        var result: [FeasibilityWarning] = []
        for (p, persona) in scenario.personas.enumerated() {
            let v3 = Set(persona.v3Default.map(\.flow))
            let targets = Set(persona.deviation?.to.map(\.flow) ?? [])
            for (f, flow) in persona.flows.enumerated() {
                let path = "personas[\(p)].flows[\(f)]"
                if !v3.contains(flow.id) && !flow.candidate && !targets.contains(flow.id) {
                    result.append(
                        FeasibilityWarning(
                            persona: persona.id, path: path,
                            message:
                                "flow \(flow.id) of \(persona.id) is neither a v3 default flow, a candidate nor a deviation target: no user can ever be presented it"
                        ))
                } else if flow.candidate && !v3.contains(flow.id) && !targets.contains(flow.id)
                    && flow.introducedDay >= horizon
                {
                    result.append(
                        FeasibilityWarning(
                            persona: persona.id, path: path + ".introduced_day",
                            message:
                                "candidate \(flow.id) of \(persona.id) is introduced on day \(flow.introducedDay), at or after the horizon (\(horizon) days): it never takes part"
                        ))
                }
            }
        }
        result += trendClamping(scenario, horizon: horizon)
        for (i, check) in checks.enumerated() {
            let path = "checks[\(i)]"
            let day = check.championIsTrueBestByDay
            guard let persona = scenario.personas.first(where: { $0.id == check.persona }) else { continue }
            if day >= horizon {
                result.append(
                    FeasibilityWarning(
                        persona: persona.id, path: path,
                        message:
                            "the check of \(persona.id) on day \(day) is at or after the horizon (\(horizon) days): it is not evaluated"
                    ))
                continue
            }
            let presentable = presentableFlows(persona, day: day)
            if presentable.count == 1 {
                result.append(
                    FeasibilityWarning(
                        persona: persona.id, path: path,
                        message:
                            "on day \(day) \(persona.id) can be presented only flow \(presentable[0]): the check has nothing to choose between"
                    ))
                continue
            }
            let later = persona.flows.filter { $0.candidate && $0.introducedDay > day && $0.introducedDay < horizon }
            if !later.isEmpty {
                let names = later.map { "\($0.id) (day \($0.introducedDay))" }.joined(separator: ", ")
                result.append(
                    FeasibilityWarning(
                        persona: persona.id, path: path,
                        message:
                            "the check of \(persona.id) on day \(day) comes before candidate \(names) exists: it judges the choice among \(presentable.joined(separator: ", ")) only"
                    ))
            }
        }
        return result
    }

    /// The flows a persona's users can be presented on `day`: v3 default flows, candidates introduced by then,
    /// deviation targets (declaration order).
    static func presentableFlows(_ persona: Persona, day: Int) -> [String] {
        let v3 = Set(persona.v3Default.map(\.flow))
        let targets = Set(persona.deviation?.to.map(\.flow) ?? [])
        return persona.flows.filter {
            v3.contains($0.id) || targets.contains($0.id) || ($0.candidate && $0.introducedDay <= day)
        }.map(\.id)
    }

    // MARK: Settings (per configuration)

    static func settingWarnings(_ scenario: Scenario, horizon: Int, scale: Double) -> [FeasibilityWarning] {
        var result: [FeasibilityWarning] = []
        let engine = scenario.engine
        let usesEpsilon = engine.policy == .seedEpsilonGreedy || engine.policy == .epsilonGreedy
        let epsilon = max(0, min(engine.epsilon, scenario.engine.laws.maxEpsilon))
        if usesEpsilon && engine.epsilon > scenario.engine.laws.maxEpsilon {
            result.append(
                FeasibilityWarning(
                    persona: nil, path: "engine.epsilon",
                    message:
                        "epsilon \(format(engine.epsilon)) is above governance.max_epsilon \(format(scenario.engine.laws.maxEpsilon)): the engine uses \(format(epsilon)) (clamped)"
                ))
        }
        let weightSum = engine.weights.activation7d + engine.weights.retention30d + engine.weights.speed
        if abs(weightSum - 1) > 1e-9 {
            result.append(
                FeasibilityWarning(
                    persona: nil, path: "engine.weights",
                    message:
                        "the engine's weights sum to \(format(weightSum)), not 1: win scores are on another scale than the seed's, and the absolute governance.max_win_score_degradation (\(format(scenario.engine.laws.maxWinScoreDegradation))) means \(format(scenario.engine.laws.maxWinScoreDegradation / weightSum)) in the seed's units (weights are not normalised)"
                ))
        }
        if engine.policy == .abTest && engine.abTestDays >= horizon {
            result.append(
                FeasibilityWarning(
                    persona: nil, path: "engine.ab_test_days",
                    message:
                        "the A/B test lasts \(engine.abTestDays) days, not less than the horizon (\(horizon) days): it never fixes a flow"
                ))
        }
        guard usesEpsilon else { return result }
        let minimum = max(engine.minChampionSample, scenario.engine.laws.minChampionSample)
        let minimumPath =
            engine.minChampionSample >= scenario.engine.laws.minChampionSample
            ? "engine.min_champion_sample" : "governance.min_champion_sample"
        let totalShare = scenario.personas.map(\.share).reduce(0, +)
        guard totalShare > 0 else { return result }
        for persona in scenario.personas {
            let share = persona.share / totalShare
            let known = presentableFlows(persona, day: horizon - 1)
            guard known.count > 1 else { continue }
            let others = seedLike(engine.policy) ? known.count - 1 : known.count
            let exploreShare = epsilon / Double(others)
            let v3Weight = persona.v3Default.map(\.weight).reduce(0, +)
            func v3Share(_ flow: String) -> Double {
                v3Weight > 0 ? persona.v3Default.filter { $0.flow == flow }.map(\.weight).reduce(0, +) / v3Weight : 0
            }
            for flow in persona.flows where known.contains(flow.id) && v3Share(flow.id) == 0 {
                let start = flow.candidate ? flow.introducedDay : 0
                let days = min(engine.windowDays, horizon - start)
                guard days > 0 else { continue }
                let perDay = meanSignups(scenario.traffic, from: start, to: horizon, scale: scale) * share
                var deviationShare = 0.0
                if let d = persona.deviation, d.to.contains(where: { $0.flow == flow.id }) {
                    let from = d.from.map(v3Share).reduce(0, +)
                    let weights = d.to.map(\.weight).reduce(0, +)
                    let weight = d.to.filter { $0.flow == flow.id }.map(\.weight).reduce(0, +)
                    if weights > 0 { deviationShare = d.rate * from * weight / weights }
                }
                let expected = perDay * Double(days) * (exploreShare + deviationShare)
                guard expected < Double(minimum) else { continue }
                let role = flow.candidate ? "candidate" : "deviation target"
                let sharing = seedLike(engine.policy) ? "other flow" : "flow"
                var how = "ε \(format(epsilon)) shared by \(others) \(sharing)\(others == 1 ? "" : "s")"
                if deviationShare > 0 { how += " + deviation \(format(deviationShare * 100))%" }
                result.append(
                    FeasibilityWarning(
                        persona: persona.id, path: minimumPath,
                        message:
                            "\(role) \(flow.id) of \(persona.id) can collect ≈ \(format(expected)) users in the \(days)-day window (\(format(perDay)) signups/day × \(days) days × (\(how))) but the effective min_champion_sample is \(minimum): it can never become champion"
                    ))
            }
            // The v3 default flows before any champion exists: (1 − ε) × their weight + their ε share.
            let perDay = meanSignups(scenario.traffic, from: 0, to: horizon, scale: scale) * share
            let days = min(engine.windowDays, horizon)
            let best = persona.v3Default.map { v3Share($0.flow) }.max() ?? 0
            let expected = perDay * Double(days) * ((1 - epsilon) * best + exploreShare)
            if expected < Double(minimum) {
                result.append(
                    FeasibilityWarning(
                        persona: persona.id, path: minimumPath,
                        message:
                            "no flow of \(persona.id) can collect the effective min_champion_sample \(minimum) in the \(days)-day window (the largest v3 default flow ≈ \(format(expected)) users at \(format(perDay)) signups/day): no champion will ever be elected"
                    ))
            }
        }
        return result
    }

    /// Trends that push a truth value out of its range on some day of the run: the simulator clamps it there
    /// (probabilities to [0, 1], medians to one minute), so the written shape is not the one simulated.
    static func trendClamping(_ scenario: Scenario, horizon: Int) -> [FeasibilityWarning] {
        guard scenario.personas.contains(where: { !$0.trends.isEmpty }),
            let world = try? ScenarioMapping.world(from: scenario, horizonDays: horizon)
        else { return [] }
        let oracle = Oracle(world: world)
        var result: [FeasibilityWarning] = []
        for (p, persona) in scenario.personas.enumerated() where !persona.trends.isEmpty {
            for (f, flow) in persona.flows.enumerated() {
                var clamped: [TrendModel.Field: (first: Int, value: Double, days: Int)] = [:]
                for day in 0..<horizon {
                    for (field, value) in oracle.clampedTrendValues(persona: p, flow: f, day: day) {
                        clamped[field, default: (day, value, 0)].days += 1
                    }
                }
                for field in TrendModel.Field.allCases {
                    guard let c = clamped[field] else { continue }
                    let (name, bound) =
                        switch field {
                        case .activation7d: ("activation_7d", "[0, 1]")
                        case .retentionIfActivated: ("retention if activated", "[0, 1]")
                        case .retentionIfNot: ("retention if not activated", "[0, 1]")
                        case .upgrade: ("upgrade", "[0, 1]")
                        case .timeToFirstWinMedian: ("time-to-first-win median", "at least 1 minute")
                        }
                    result.append(
                        FeasibilityWarning(
                            persona: persona.id, path: "personas[\(p)].trends",
                            message:
                                "the trends take the \(name) of flow \(flow.id) of \(persona.id) out of its range on \(c.days) of \(horizon) days (first on day \(c.first): \(format(c.value))); it is clamped to \(bound) there"
                        ))
                }
            }
        }
        return result
    }

    static func seedLike(_ policy: PolicyKind) -> Bool { policy == .seedEpsilonGreedy }

    /// Mean expected signups per day over days `from ..< to` (schedule × weekly multiplier × scale × growth).
    static func meanSignups(_ traffic: Traffic, from: Int, to: Int, scale: Double) -> Double {
        guard to > from else { return 0 }
        var total = 0.0
        for day in from..<to {
            let weekday = traffic.weekly.map { $0[((day % 7) + 7) % 7] } ?? 1
            total += traffic.perDay(onDay: day) * weekday * scale * traffic.growthFactor(onDay: day)
        }
        return total / Double(to - from)
    }

    /// Whole numbers from 100, one decimal from 10, three below; no trailing zeros (0.05, 18.5, 120).
    static func format(_ value: Double) -> String {
        let step = value >= 100 ? 1.0 : value >= 10 ? 10 : 1000
        let rounded = (value * step).rounded() / step
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}

extension Feasibility {
    /// The warnings of a plan (its configurations, horizon and traffic scale). `fileChecks`: the scenario file's
    /// checks, so a check that a shortened run dropped is named (default: the plan's).
    public static func warnings(for plan: ExperimentPlan, fileChecks: [Check]? = nil) -> [FeasibilityWarning] {
        warnings(
            for: plan.scenario, horizon: plan.horizonDays, scale: plan.scale,
            checks: fileChecks ?? plan.scenario.checks)
    }
}
