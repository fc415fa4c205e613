/// The name of a registered assignment policy (SPEC §1.5), as `engine.policy` spells it: only the names of
/// ``PolicyRegistry/policies`` exist (`init(rawValue:)` refuses any other), so every value has a policy.
///
/// A value carries its registry position, so comparing two kinds and constructing the policy (both on the
/// assignment path) are an integer comparison and an array access.
public struct PolicyKind: RawRepresentable, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String
    let index: Int

    public init?(rawValue: String) {
        guard let index = PolicyRegistry.index[rawValue] else { return nil }
        self.rawValue = rawValue
        self.index = index
    }

    /// The kind of a registered policy type; traps when the type is not in ``PolicyRegistry/policies`` (a
    /// programming error the registry tests catch).
    public init(registered type: any RegisteredPolicy.Type) {
        guard let kind = PolicyKind(rawValue: type.name) else {
            preconditionFailure("\(type) is not listed in PolicyRegistry.policies")
        }
        self = kind
    }

    /// Every registered policy, in registry order.
    public static var allCases: [PolicyKind] { PolicyRegistry.names.compactMap(PolicyKind.init(rawValue:)) }

    /// A new instance of the policy (``RegisteredPolicy/init()``).
    public var policy: any AssignmentPolicy { PolicyRegistry.policies[index].init() }

    public var description: String { rawValue }

    public static func == (a: PolicyKind, b: PolicyKind) -> Bool { a.index == b.index }
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = PolicyKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "unknown policy '\(name)'; known: \(PolicyRegistry.names.joined(separator: ", "))"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // The built-in policies by name, for the engine and the lab's own checks (a new policy needs none).
    public static let seedEpsilonGreedy = PolicyKind(registered: SeedEpsilonGreedy.self)
    public static let epsilonGreedy = PolicyKind(registered: EpsilonGreedy.self)
    public static let thompson = PolicyKind(registered: ThompsonSampling.self)
    public static let ucb1 = PolicyKind(registered: UCB1.self)
    /// A plain A/B test: uniform split over the arms for `ab_test_days`, then the best observed arm for good.
    public static let abTest = PolicyKind(registered: ABTestPolicy.self)
    /// No learning in assignment: the persona's v3 default split forever.
    public static let v3Default = PolicyKind(registered: V3DefaultPolicy.self)
}
