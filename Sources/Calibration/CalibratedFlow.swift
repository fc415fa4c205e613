import OnboardingEngine

/// One presented step sequence and its estimated truth.
public struct CalibratedFlow: Sendable {
    public var id: String
    public var steps: [String]
    /// Users presented this sequence in the period (mature or not).
    public var users: Int
    public var candidate: Bool
    public var introducedDay: Int
    /// 7-day activation among users older than 7 days.
    public var activation: Proportion
    /// 30-day retention among users older than 30 days.
    public var retention: Proportion
    /// Retention of the activated and the other mature users, when both groups reach `--min-sample`.
    public var conditionalRetention: (ifActivated: Proportion, ifNot: Proportion)?
    /// Upgrades among users older than 30 days.
    public var upgrade: Proportion
    /// The fitted time to first win; nil with fewer than two activated users' times.
    public var timeToWin: TimeToWinFit?
}
