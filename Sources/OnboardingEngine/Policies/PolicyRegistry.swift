/// Every assignment policy, in the order help, the schema's enum and `engine settings` list them.
///
/// Adding a policy is one new file in this folder declaring a ``RegisteredPolicy`` (name, summary, settings,
/// constructor) plus its line in ``policies`` below: Swift has no load-time registration (no static
/// initialisers run by themselves, no way to enumerate a protocol's conforming types), so the list is the one
/// place a new type must be named. README "Extending the lab" walks through it.
public enum PolicyRegistry {
    public static let policies: [any RegisteredPolicy.Type] = [
        SeedEpsilonGreedy.self,
        EpsilonGreedy.self,
        ThompsonSampling.self,
        UCB1.self,
        ABTestPolicy.self,
        V3DefaultPolicy.self,
    ]

    /// The policies' names, in registry order.
    public static let names: [String] = policies.map { $0.name }

    /// Position of each name in ``policies`` (the first, should two policies share a name — a test forbids it).
    static let index: [String: Int] = Dictionary(
        names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

    /// The settings the policies declare, in registry order (part of ``EngineSettings/table``).
    public static let settings: [SettingDescriptor] = policies.flatMap { $0.settings }

    /// The `engine.policy` description: every policy's summary.
    static var description: String {
        let summaries = policies.map { $0.summary }
        let list =
            summaries.count > 1
            ? summaries.dropLast().joined(separator: ", ") + " or " + (summaries.last ?? "")
            : summaries.joined()
        return "Assignment policy (SPEC §1.5): \(list)."
    }
}
