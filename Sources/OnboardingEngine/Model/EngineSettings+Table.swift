extension EngineSettings {
    /// The longest span of days any setting or input accepts: ten years.
    public static let maxDays = 3650
    /// The largest sample-size setting (minimum champion samples, priority thresholds): 10^12 users.
    public static let maxSample = 1_000_000_000_000
    /// The largest weight or priority: 10^6 (the win score is a weighted sum; larger values only rescale it).
    public static let maxWeight = 1_000_000.0

    /// Every setting, in the order of `Scenario.settingPaths`, the blocks, the resolved YAML and `engine settings`:
    /// the engine's own, then the registered policies' (``PolicyRegistry/settings``, e.g. `engine.ab_test_days`),
    /// then the governance laws.
    ///
    /// The ranges are the contract: a scenario, `--set`, `engine settings --set` and the database all accept
    /// exactly these values. `governance.max_win_score_degradation` is an absolute win-score drop in [0, 1].
    public static let table: [SettingDescriptor] =
        [
            SettingDescriptor(
                "engine.policy", key: "policy", .choice(PolicyRegistry.names), .text(\.policyName),
                PolicyRegistry.description),
            SettingDescriptor(
                "engine.epsilon", key: "epsilon", .number, unit: "share", range: .share, .number(\.epsilon),
                "Exploration rate; the effective rate is clamped by governance.max_epsilon."),
            SettingDescriptor(
                "engine.min_champion_sample", key: "min_champion_sample", .integer, unit: "users",
                range: SettingRange(1...maxSample), .integer(\.minChampionSample),
                "Minimum sample to become champion; the effective minimum is max(this, governance.min_champion_sample)."
            ),
            SettingDescriptor(
                "engine.window_days", key: "window_days", .integer, unit: "days", range: SettingRange(1...maxDays),
                .integer(\.windowDays), "Learning window in days."),
            SettingDescriptor(
                "engine.count_immature", key: "count_immature", .boolean, .boolean(\.countImmature),
                "true (seed): users too young to have an outcome count as not activated / not retained."),
            SettingDescriptor(
                "engine.weights.activation_7d", key: "weights.activation_7d", .number, unit: "weight",
                range: SettingRange(0, maxWeight), .number(\.weights.activation7d), "Win-score weight of win_rate_7d."),
            SettingDescriptor(
                "engine.weights.retention_30d", key: "weights.retention_30d", .number, unit: "weight",
                range: SettingRange(0, maxWeight), .number(\.weights.retention30d), "Win-score weight of win_rate_30d."),
            SettingDescriptor(
                "engine.weights.speed", key: "weights.speed", .number, unit: "weight",
                range: SettingRange(0, maxWeight),
                .number(\.weights.speed), "Win-score weight of the speed bonus."),
            SettingDescriptor(
                "engine.speed_horizon_minutes", key: "speed_horizon_minutes", .number, unit: "minutes",
                range: SettingRange(0, Double(maxDays * Clock.minutesPerDay), lowerExclusive: true),
                .number(\.speedHorizonMinutes), "H in speed_bonus = 1 − min(avg time to first win / H, 1)."),
            SettingDescriptor(
                "engine.exploration_priority.below_10", key: "exploration_priority.below_10", .number, unit: "priority",
                range: SettingRange(0, maxWeight), .number(\.explorationPriority.below10),
                "Priority of patterns with sample < thresholds.low."),
            SettingDescriptor(
                "engine.exploration_priority.below_30", key: "exploration_priority.below_30", .number, unit: "priority",
                range: SettingRange(0, maxWeight), .number(\.explorationPriority.below30),
                "Priority of patterns with sample < thresholds.high."),
            SettingDescriptor(
                "engine.exploration_priority.otherwise", key: "exploration_priority.otherwise", .number,
                unit: "priority", range: SettingRange(0, maxWeight), .number(\.explorationPriority.otherwise),
                "Priority of the other patterns."),
            SettingDescriptor(
                "engine.exploration_priority.thresholds.low", key: "exploration_priority.low_threshold", .integer,
                unit: "users", range: SettingRange(0...maxSample), .integer(\.explorationPriority.lowThreshold),
                "Sample-size threshold of below_10 (low ≤ high)."),
            SettingDescriptor(
                "engine.exploration_priority.thresholds.high", key: "exploration_priority.high_threshold", .integer,
                unit: "users", range: SettingRange(0...maxSample), .integer(\.explorationPriority.highThreshold),
                "Sample-size threshold of below_30."),
            SettingDescriptor(
                "engine.stale_patterns", key: "stale_patterns", .choice(StalePatterns.allCases.map(\.rawValue)),
                .text(\.stalePatternsName),
                "Patterns absent from tonight's window: keep their values (seed) or drop them from the election."),
            SettingDescriptor(
                "engine.job_failure_rate", key: nil, .number, unit: "share", range: .share, .simulation(default: 0),
                "Fault injection: share of nights whose learning job fails."),
            SettingDescriptor(
                "engine.holdback", key: "holdback", .number, unit: "share", range: .share, .number(\.holdback),
                "Share of users kept on the v3 default (mode 'holdback'); 0 = seed."),
        ] + PolicyRegistry.settings + [
            SettingDescriptor(
                "governance.max_epsilon", key: "law.max_epsilon", .number, unit: "share", range: .share,
                .number(\.laws.maxEpsilon), "Law: upper bound of the effective exploration rate."),
            SettingDescriptor(
                "governance.min_champion_sample", key: "law.min_champion_sample", .integer, unit: "users",
                range: SettingRange(1...maxSample), .integer(\.laws.minChampionSample),
                "Law: no pattern with a smaller sample becomes champion."),
            SettingDescriptor(
                "governance.max_win_score_degradation", key: "law.max_win_score_degradation", .number,
                unit: "win score", range: .share, .number(\.laws.maxWinScoreDegradation),
                "Law: absolute win-score drop that blocks an election (rollback) or raises an alert."),
        ]
}
