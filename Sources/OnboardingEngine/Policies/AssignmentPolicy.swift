import Foundation
import Stochastics

/// What a policy sees when it assigns one user: the persona's patterns (ordered by flow id), its champion, the
/// settings, the effective ε, the A/B-test arms (v3 default flows, then registered candidates) and the arm an
/// A/B test fixed, if any.
///
/// A class: the engine builds one per persona when its patterns, settings or policy state change and hands the
/// same object to the policy for every user until then (a struct of this size would be copied, and its many
/// references retained and released, per user).
public final class PolicyContext {
    public let persona: String
    public let patterns: [FlowPattern]
    /// The champion's index in `patterns`, if the persona has one.
    public let championIndex: Int?
    public let settings: EngineSettings
    public let epsilon: Double
    public internal(set) var arms: [PolicyArm] = []
    public internal(set) var abTestWinner: PolicyArm?
    /// The index in `patterns` of the highest win score (ties: larger sample, then first flow id), or nil when
    /// empty.
    public let greedyIndex: Int?
    /// True while none of the persona's patterns has a sample: the non-seed policies use the v3 default then.
    public let hasNoSample: Bool
    /// The indices of the patterns that are not champion, in order, with their exploration priorities (the seed
    /// policy's exploration draw), built on first use and kept with the context.
    public private(set) lazy var nonChampions: (indices: [Int], priorities: [Double]) = {
        let indices = patterns.indices.filter { !patterns[$0].isChampion }
        return (indices, indices.map { patterns[$0].explorationPriority })
    }()
    /// What the engine hands out for each pattern (flow id, variant, steps, as the store prepared them:
    /// ``EngineStore/prepareAssignment(persona:flowId:variant:steps:)``), filled in by the engine when it builds
    /// the context, so an assignment hands the store one reference instead of looking the names up.
    var prepared: [PreparedAssignment] = []
    /// The persona's v3 default options, prepared, with their weights; nil when the persona has no configuration
    /// (its v3 default then throws ``EngineError/unknownPersona(_:)``).
    var v3Options: (prepared: [PreparedAssignment], weights: [Double])?

    /// Derives `championIndex`, `greedyIndex` and `hasNoSample` once: the engine caches a persona's context
    /// between changes, so they are not recomputed for every user.
    public init(persona: String, patterns: [FlowPattern], settings: EngineSettings, epsilon: Double) {
        self.persona = persona
        self.patterns = patterns
        self.championIndex = patterns.firstIndex(where: \.isChampion)
        self.settings = settings
        self.epsilon = epsilon
        self.greedyIndex = patterns.indices.max { V4Engine.electionOrder(patterns[$0], patterns[$1]) }
        self.hasNoSample = !patterns.contains { $0.sampleSize > 0 }
    }

    public var champion: FlowPattern? { championIndex.map { patterns[$0] } }
    public var greedy: FlowPattern? { greedyIndex.map { patterns[$0] } }
}

/// A policy's choice.
public enum PolicyDecision: Equatable, Sendable {
    /// The pattern at this index of ``PolicyContext/patterns`` (an index, not a copy of the pattern: the engine
    /// decides once per user), with the mode to record.
    case pattern(Int, AssignmentMode)
    /// The persona's v3 default, with the mode to record.
    case v3Default(AssignmentMode)
    /// One of the context's arms (it may have no pattern yet), with the mode to record.
    case arm(PolicyArm, AssignmentMode)
}

/// An assignment policy (SPEC §1.5). Policies change assignment only; learning, election and governance stay
/// the seed's. Every draw comes from `random`, the engine's policy stream. A policy the lab can run is a
/// ``RegisteredPolicy`` listed in ``PolicyRegistry``.
public protocol AssignmentPolicy: Sendable {
    var kind: PolicyKind { get }
    func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision
    /// True when an ε draw decides between explore and exploit for this context (the allocation-health check
    /// compares the observed explore share with ε over such users). False for policies without ε.
    func explorationApplies(_ context: PolicyContext) -> Bool
}

extension PolicyContext {
    /// Mode for index policies: exploit when the choice (an index in `patterns`) is the greedy pattern, explore
    /// otherwise.
    public func mode(of choice: Int) -> AssignmentMode { choice == greedyIndex ? .exploit : .explore }
}
