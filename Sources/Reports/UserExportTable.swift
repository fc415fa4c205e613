import Experiments
import Simulation

/// The per-user ground truth of `run --export-users FILE`: one CSV row per simulated user of every replicate.
///
/// Columns: `config`, `replicate`, `user` (the engine's user id), `signup_day`, `signup_minute`, `persona` (true),
/// `inferred_persona` (what the engine saw), `flow` (local id of the flow shown, after a v3 deviation),
/// `deviated` (1 when the v3 runtime rewrote it), `mode` (explore / exploit / holdback); the latent uniforms
/// `u_deviation`, `u_activation`, `u_time`, `u_retention`, `u_upgrade` (user stream), `u_inference` (empty
/// without persona inference), `h_activation`, `h_retention` (empty without heterogeneity), `u_funnel` (empty
/// without a funnel), `u_retention_delay`, `u_upgrade_delay` (empty without outcome delays); the user's own
/// probabilities under the flow shown, `p_activation`, `p_retention_if_activated`, `p_retention_if_not`,
/// `p_upgrade` (given the realised activation and retention); the realised outcomes `activated`, `retained`,
/// `upgraded`, `minutes_to_first_win` (empty when not activated), `steps_completed` (the funnel walk's depth;
/// empty without a funnel), `completed_flow`, `retention_recorded_minute` and `upgrade_recorded_minute` (minutes
/// after signup at which the engine is told; empty when the outcome did not happen); then for every flow id of the scenario (each persona's flows in declaration order, a flow id shared
/// by personas once) `cf_activated:<flow>`, `cf_retained:<flow>`, `cf_upgraded:<flow>`: the outcome the same user
/// would have had under that flow of the user's true persona on the signup day (empty when the persona has no flow
/// of that id). The counterfactual under the flow shown equals the realised outcome; activation is decided at
/// signup, so every user has one (replicates.csv's `activation_rate` counts only users 7 days old at the horizon).
public struct UserExportTable: Sendable {
    public let world: World
    /// Every flow id of the scenario, in first-declaration order.
    public let flowIds: [String]
    /// Per persona, the index of each of `flowIds` among its flows (nil when it has no such flow).
    let flowColumns: [[Int?]]
    /// Which optional phenomena the world has (their columns are empty otherwise).
    let spread: Bool
    let funnel: Bool
    let delays: Bool

    public init(world: World) {
        self.world = world
        var ids: [String] = []
        for persona in world.personas {
            for flow in persona.flows where !ids.contains(flow.id) { ids.append(flow.id) }
        }
        flowIds = ids
        flowColumns = world.personas.map { persona in ids.map { id in persona.flows.firstIndex { $0.id == id } } }
        spread = world.hasSpread
        funnel = world.hasFunnel
        delays = world.hasOutcomeDelays
    }

    public var header: [String] {
        [
            "config", "replicate", "user", "signup_day", "signup_minute", "persona", "inferred_persona", "flow",
            "deviated", "mode", "u_deviation", "u_activation", "u_time", "u_retention", "u_upgrade", "u_inference",
            "h_activation", "h_retention", "u_funnel", "u_retention_delay", "u_upgrade_delay", "p_activation",
            "p_retention_if_activated", "p_retention_if_not", "p_upgrade", "activated", "retained", "upgraded",
            "minutes_to_first_win", "steps_completed", "completed_flow", "retention_recorded_minute",
            "upgrade_recorded_minute",
        ] + flowIds.flatMap { ["cf_activated:\($0)", "cf_retained:\($0)", "cf_upgraded:\($0)"] }
    }

    public func row(config: String, replicate: Int, _ e: ExportedUser) -> [String] {
        let u = e.user
        let personas = world.personas
        let o = e.outcome
        func number(_ value: Double, if used: Bool) -> String { used ? Format.number(value) : "" }
        let who: [String] = [
            config, String(replicate), u.id, String(e.signupDay), String(u.signupMinute),
            personas[e.persona].id, personas[e.inferredPersona].id, personas[e.persona].flows[e.flow].id,
            Format.flag(e.deviated), e.mode.rawValue,
        ]
        let draws: [String] = [
            Format.number(u.uDeviation), Format.number(u.uActivation), Format.number(u.uTime),
            Format.number(u.uRetention), Format.number(u.uUpgrade), number(u.uInference, if: world.inference != nil),
            number(u.hActivation, if: spread), number(u.hRetention, if: spread), number(u.uFunnel, if: funnel),
            number(u.uRetentionDelay, if: delays), number(u.uUpgradeDelay, if: delays),
        ]
        let probabilities: [String] = [
            Format.number(e.rates.activation7d), Format.number(e.rates.retentionIfActivated),
            Format.number(e.rates.retentionIfNot), Format.number(e.upgradeProbability),
        ]
        let outcomes: [String] = [
            Format.flag(o.activated), Format.flag(o.retained), Format.flag(o.upgraded),
            o.activated ? String(o.minutesToWin) : "", o.stepsCompleted.map(String.init) ?? "",
            Format.flag(o.completedFlow), o.retained ? String(o.retentionDelay) : "",
            o.upgraded ? String(o.upgradeDelay) : "",
        ]
        var fields = who + draws + probabilities + outcomes
        for column in flowColumns[e.persona] {
            if let f = column {
                let c = e.counterfactual[f]
                fields += [Format.flag(c.activated), Format.flag(c.retained), Format.flag(c.upgraded)]
            } else {
                fields += ["", "", ""]
            }
        }
        return fields
    }
}
