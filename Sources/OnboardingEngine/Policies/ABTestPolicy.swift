import Stochastics

/// The A/B test a product team runs today (`policy: ab-test`).
///
/// While the persona's test runs, every user gets one of the context's arms — the v3 default flows, then the
/// candidate flows registered so far — with equal probability, one `uniformInt(arms)` draw from the policy stream
/// (mode `explore`). The test starts on the UTC day of the persona's first assignment under this policy and ends
/// `ab_test_days` days later: the first successful nightly job at or after that minute fixes the arm with the best
/// observed win score (election order: win score, then larger sample, then first flow id) among arms with a
/// sample; from then on every user gets that arm (mode `exploit`), for good, whatever the patterns do later. The
/// engine does both (``V4Engine/assignFlowForUser(userId:persona:at:)``, ``V4Engine/runNightlyLearningJob(now:)``);
/// the policy only reads the state. Learning and election run as the seed's but do not change assignment.
/// Holdback is drawn first, as for every policy. No ε draw: not part of the allocation-health test.
public struct ABTestPolicy: RegisteredPolicy {
    public static let name = "ab-test"
    public static let summary = "a plain A/B test (ab-test)"
    /// The test's length (stored in ``EngineSettings/abTestDays``, which the engine's A/B bookkeeping reads).
    public static let settings = [
        SettingDescriptor(
            "engine.ab_test_days", key: "ab_test_days", .integer, unit: "days",
            range: SettingRange(EngineSettings.abTestDaysRange), .integer(\.abTestDays),
            "policy ab-test: days of uniform split over the v3 default flows and candidates before the best observed "
                + "flow is fixed for good.")
    ]
    public init() {}
    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        if let winner = context.abTestWinner { return .arm(winner, .exploit) }
        guard !context.arms.isEmpty else { return .v3Default(.exploit) }
        return .arm(context.arms[random.uniformInt(context.arms.count)], .explore)
    }
}
