import Experiments
import Simulation

/// The per-user ground truth of `run --export-users FILE`: one CSV row per simulated user of every replicate.
///
/// Columns: `config`, `replicate`, `user` (the engine's user id), `signup_day`, `signup_minute`, `persona` (true),
/// `inferred_persona` (what the engine saw), `flow` (local id of the flow shown, after a v3 deviation),
/// `deviated` (1 when the v3 runtime rewrote it), `mode` (explore / exploit / holdback); the latent uniforms
/// `u_deviation`, `u_activation`, `u_time`, `u_retention`, `u_upgrade` (user stream), `u_inference` (empty
/// without persona inference), `h_activation`, `h_retention` (empty without heterogeneity); the user's own
/// probabilities under the flow shown, `p_activation`, `p_retention_if_activated`, `p_retention_if_not`,
/// `p_upgrade`; the realised outcomes `activated`, `retained`, `upgraded`, `minutes_to_first_win` (empty when not
/// activated); then for every flow id of the scenario (each persona's flows in declaration order, a flow id shared
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

    public init(world: World) {
        self.world = world
        var ids: [String] = []
        for persona in world.personas {
            for flow in persona.flows where !ids.contains(flow.id) { ids.append(flow.id) }
        }
        flowIds = ids
        flowColumns = world.personas.map { persona in ids.map { id in persona.flows.firstIndex { $0.id == id } } }
    }

    public var header: [String] {
        [
            "config", "replicate", "user", "signup_day", "signup_minute", "persona", "inferred_persona", "flow",
            "deviated", "mode", "u_deviation", "u_activation", "u_time", "u_retention", "u_upgrade", "u_inference",
            "h_activation", "h_retention", "p_activation", "p_retention_if_activated", "p_retention_if_not",
            "p_upgrade", "activated", "retained", "upgraded", "minutes_to_first_win",
        ] + flowIds.flatMap { ["cf_activated:\($0)", "cf_retained:\($0)", "cf_upgraded:\($0)"] }
    }

    public func row(config: String, replicate: Int, _ e: ExportedUser) -> [String] {
        let u = e.user
        let personas = world.personas
        let o = e.outcome
        var fields = [
            config, String(replicate), "u\(u.index)", String(e.signupDay), String(u.signupMinute),
            personas[e.persona].id, personas[e.inferredPersona].id, personas[e.persona].flows[e.flow].id,
            Format.flag(e.deviated), e.mode.rawValue, Format.number(u.uDeviation), Format.number(u.uActivation),
            Format.number(u.uTime), Format.number(u.uRetention), Format.number(u.uUpgrade),
            world.inference == nil ? "" : Format.number(u.uInference),
            world.hasSpread ? Format.number(u.hActivation) : "", world.hasSpread ? Format.number(u.hRetention) : "",
            Format.number(e.rates.activation7d), Format.number(e.rates.retentionIfActivated),
            Format.number(e.rates.retentionIfNot), Format.number(e.upgradeProbability), Format.flag(o.activated),
            Format.flag(o.retained), Format.flag(o.upgraded), o.activated ? String(o.minutesToWin) : "",
        ]
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
