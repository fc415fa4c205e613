import OnboardingEngine
import Testing

@testable import Scenarios

@Suite struct ScenarioSettingsTests {
    static func full() throws -> Scenario {
        try ScenarioLoader.parse(Fixtures.text("valid-full.yaml"), file: "valid-full.yaml")
    }

    @Test func settingPathsListEveryEngineAndGovernanceSetting() {
        #expect(
            Scenario.settingPaths == [
                "engine.policy", "engine.epsilon", "engine.min_champion_sample", "engine.window_days",
                "engine.count_immature", "engine.weights.activation_7d", "engine.weights.retention_30d",
                "engine.weights.speed", "engine.speed_horizon_minutes", "engine.exploration_priority.below_10",
                "engine.exploration_priority.below_30", "engine.exploration_priority.otherwise",
                "engine.exploration_priority.thresholds.low", "engine.exploration_priority.thresholds.high",
                "engine.stale_patterns", "engine.job_failure_rate", "engine.holdback", "engine.ab_test_days",
                "governance.max_epsilon",
                "governance.min_champion_sample", "governance.max_win_score_degradation",
            ])
    }

    @Test func valueAtReadsEverySettingWithItsType() throws {
        let scenario = try Self.full()
        let values = Scenario.settingPaths.map { scenario.value(at: $0) }
        let expected: [SettingValue?] = [
            .string("thompson"), .number(0.15), .integer(20), .integer(45), .bool(false), .number(0.6),
            .number(0.2), .number(0.2), .number(720), .number(1.0), .number(0.4), .number(0.05), .integer(5),
            .integer(25), .string("drop_from_election"), .number(0.02), .number(0.05), .integer(14), .number(0.25),
            .integer(20), .number(0.1),
        ]
        #expect(values == expected)
        #expect(scenario.value(at: "engine.nope") == nil)
        #expect(scenario.value(at: "traffic.signups_per_day") == nil)
    }

    @Test func applyingChangesSettingsAndConvertsNumbers() throws {
        let scenario = try Self.full()
        let changed = try scenario.applying([
            "engine.epsilon": .integer(0),
            "engine.min_champion_sample": .number(50),
            "engine.policy": "ucb1",
            "engine.count_immature": true,
            "engine.exploration_priority.thresholds.high": 40,
            "governance.max_win_score_degradation": 0.2,
        ])
        #expect(changed.engine.epsilon == 0)
        #expect(changed.value(at: "engine.epsilon") == .number(0))
        #expect(changed.engine.minChampionSample == 50)
        #expect(changed.engine.policy == .ucb1)
        #expect(changed.engine.countImmature)
        #expect(changed.engine.explorationPriority.highThreshold == 40)
        #expect(changed.engine.laws.maxWinScoreDegradation == 0.2)
        #expect(changed.personas == scenario.personas)
        #expect(changed.sweep == scenario.sweep)
        #expect(try scenario.applying([:]) == scenario)
    }

    @Test func applyingRejectsBadPathsTypesAndRanges() throws {
        let scenario = try Self.full()
        let error = try #require(throws: ScenarioError.self) {
            try scenario.applying([
                "engine.epsilom": 0.1,
                "engine.epsilon": "abc",
                "engine.min_champion_sample": 2.5,
                "engine.window_days": 0,
                "engine.policy": "thomson",
                "engine.ab_test_days": 0,
                "governance.max_epsilon": 1.5,
                "traffic.signups_per_day": 10,
            ])
        }
        let expected = """
            <overrides>: engine.ab_test_days: must be between 1 and 3650, found 0
            <overrides>: engine.epsilom: 'engine.epsilom' is not a sweepable setting (did you mean 'engine.epsilon'?)
            <overrides>: engine.epsilon: expected a number, found string 'abc'
            <overrides>: engine.min_champion_sample: expected an integer, found number 2.5
            <overrides>: engine.policy: 'thomson' is not one of seed-epsilon-greedy, epsilon-greedy, thompson, ucb1, ab-test, v3-default (did you mean 'thompson'?)
            <overrides>: engine.window_days: must be between 1 and 3650, found 0
            <overrides>: governance.max_epsilon: must be between 0 and 1, found 1.5
            <overrides>: traffic.signups_per_day: 'traffic.signups_per_day' is not a sweepable setting; sweepable settings: \(Scenario.settingPaths.joined(separator: ", "))
            """
        #expect(error.description == expected)
    }

    @Test func applyingRejectsInvalidCombinations() throws {
        let scenario = try Self.full()
        let error = try #require(throws: ScenarioError.self) {
            try scenario.applying([
                "engine.weights.activation_7d": 0, "engine.weights.retention_30d": 0, "engine.weights.speed": 0,
                "engine.exploration_priority.thresholds.low": 30,
            ])
        }
        #expect(
            error.description == """
                <overrides>: engine.weights: the weights are all zero; at least one must be greater than 0
                <overrides>: engine.exploration_priority.thresholds: low (30) must not be greater than high (25)
                """)
    }

    @Test func configurationsVaryTheFirstAxisSlowest() throws {
        let scenario = try Self.full()
        let configurations = scenario.configurations()
        #expect(configurations.count == 12)
        let pairs = configurations.map { configuration in
            "\(configuration["engine.epsilon"]?.description ?? "?")/\(configuration["engine.min_champion_sample"]?.description ?? "?")"
        }
        #expect(
            pairs == [
                "0.05/10", "0.05/30", "0.05/100", "0.1/10", "0.1/30", "0.1/100",
                "0.2/10", "0.2/30", "0.2/100", "0.3/10", "0.3/30", "0.3/100",
            ])
        // The baseline names only epsilon: the other axes take their first value.
        #expect(scenario.baselineConfigurationIndex() == 6)
        for configuration in configurations {
            let applied = try scenario.applying(configuration)
            #expect(applied.value(at: "engine.epsilon") == configuration["engine.epsilon"])
        }
    }

    @Test func settingValueDescriptionIsCanonical() {
        #expect(SettingValue.integer(30).description == "30")
        #expect(SettingValue.number(0.1).description == "0.1")
        #expect(SettingValue.number(100).description == "100.0")
        #expect(SettingValue.number(0.000_01).description == "1.0e-05")
        #expect(SettingValue.number(1.5e20).description == "1.5e+20")
        #expect(SettingValue.number(0.1 + 0.2).description == "0.30000000000000004")
        #expect(SettingValue.bool(true).description == "true")
        #expect(SettingValue.string("keep").description == "keep")
    }

    @Test func settingValueParsesCommandLineText() {
        #expect(SettingValue(parsing: "30") == .integer(30))
        #expect(SettingValue(parsing: "0.25") == .number(0.25))
        #expect(SettingValue(parsing: "false") == .bool(false))
        #expect(SettingValue(parsing: "thompson") == .string("thompson"))
        #expect(SettingValue(parsing: "nan") == .string("nan"))
    }

    @Test func suggestionsNeedACloseMatch() {
        #expect(Suggestion.closest(to: "epsilom", among: ["policy", "epsilon"]) == "epsilon")
        #expect(Suggestion.closest(to: "di", among: ["id", "share"]) == "id")
        #expect(Suggestion.closest(to: "Z", among: ["A", "B"]) == nil)
        #expect(Suggestion.closest(to: "colour", among: ["policy"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}
