import Stochastics

/// No learning in assignment (`policy: v3-default`): every user gets the persona's v3 default split, forever
/// (mode `exploit`). The split draws one uniform from the policy stream when the v3 default has several flows —
/// the same draw as the seed policy's v3-default branch, without the seed's ε draw before it. Learning and
/// election still run (patterns and champions are recorded) but never change assignment. No ε draw: not part of
/// the allocation-health test.
public struct V3DefaultPolicy: RegisteredPolicy {
    public static let name = "v3-default"
    public static let summary = "no learning (v3-default)"
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision { .v3Default(.exploit) }
}
