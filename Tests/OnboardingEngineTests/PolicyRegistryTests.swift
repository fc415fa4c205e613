import Foundation
import LabTestSupport
import Testing

@testable import OnboardingEngine

/// Issue 14, item 8: the policy registry is the one list of policies; everything else derives from it.
@Suite struct PolicyRegistryTests {
    static let builtIn = ["seed-epsilon-greedy", "epsilon-greedy", "thompson", "ucb1", "ab-test", "v3-default"]

    /// The six policies keep their names and order; names are unique; each kind builds the policy of its name.
    @Test func registryListsEveryPolicyOnce() throws {
        #expect(PolicyRegistry.names == Self.builtIn)
        #expect(Set(PolicyRegistry.names).count == PolicyRegistry.names.count)
        #expect(PolicyKind.allCases.map(\.rawValue) == PolicyRegistry.names)
        for (i, type) in PolicyRegistry.policies.enumerated() {
            let kind = try #require(PolicyKind(rawValue: type.name))
            #expect(kind.index == i)
            #expect(Swift.type(of: kind.policy) == type, "\(type.name) builds another policy")
            #expect(PolicyKind(registered: type) == kind)
            #expect(type.init().kind == kind)
        }
        #expect(PolicyKind.abTest.rawValue == "ab-test" && PolicyKind.seedEpsilonGreedy == EngineSettings().policy)
        #expect(PolicyKind(rawValue: "softmax") == nil)
        #expect(PolicyKind.thompson != PolicyKind.ucb1)
    }

    /// `engine.policy` takes exactly the registry's names, described by their summaries (the text the schema had
    /// before the registry, so the schema is unchanged).
    @Test func policySettingDerivesFromTheRegistry() throws {
        let descriptor = try #require(EngineSettings.descriptor(path: "engine.policy"))
        #expect(descriptor.kind == .choice(PolicyRegistry.names))
        #expect(
            descriptor.summary
                == "Assignment policy (SPEC §1.5): the seed's ε-greedy, textbook ε-greedy, Thompson sampling, UCB1, "
                + "a plain A/B test (ab-test) or no learning (v3-default).")
        var settings = EngineSettings()
        try settings.set("policy", text: "ucb1")
        #expect(settings.policy == .ucb1)
        #expect(throws: EngineError.self) { try settings.set("policy", text: "softmax") }
        do {
            try settings.set("policy", text: "softmax")
        } catch {
            #expect("\(error)".contains(PolicyRegistry.names.joined(separator: ", ")), "\(error)")
        }
        #expect(settings.policy == .ucb1)
    }

    /// A policy's own settings sit in the one table after the engine's and before the laws, with their ranges:
    /// `engine.ab_test_days`, declared in ABTestPolicy.swift, keeps its place, key and range.
    @Test func policySettingsAreInTheOneTable() throws {
        let paths = EngineSettings.table.map(\.path)
        let abTest = try #require(paths.firstIndex(of: "engine.ab_test_days"))
        #expect(paths[abTest - 1] == "engine.holdback")
        #expect(paths[abTest + 1] == "governance.max_epsilon")
        #expect(PolicyRegistry.settings.map(\.path) == ["engine.ab_test_days"])
        let descriptor = try #require(EngineSettings.descriptor(key: "ab_test_days"))
        #expect(descriptor.range?.contains(1) == true && descriptor.range?.contains(3650) == true)
        #expect(descriptor.range?.contains(0) == false && descriptor.range?.contains(3651) == false)
        #expect(descriptor.defaultValue == .integer(28))
    }

    /// The storage a new policy's setting uses (`.parameter`): default when unset, set through the table's
    /// checks, read back as a number; an integer parameter stays an integer.
    @Test func parameterSettingsStoreByKey() throws {
        let temperature = SettingDescriptor(
            "engine.softmax_temperature", key: "softmax_temperature", .number, unit: "win score",
            range: SettingRange(0.001, 1000), .parameter(default: 0.1), "Softmax temperature.")
        var settings = EngineSettings()
        #expect(temperature.number(in: settings) == 0.1)
        #expect(temperature.defaultValue == .real(0.1))
        guard case .success(let value) = temperature.check(text: "0.5") else {
            Issue.record("0.5 refused")
            return
        }
        temperature.set(value, in: &settings)
        #expect(settings.policyParameters == ["softmax_temperature": 0.5])
        #expect(temperature.number(in: settings) == 0.5)
        guard case .failure(let problem) = temperature.check(text: "0") else {
            Issue.record("0 accepted")
            return
        }
        #expect(problem.reason.contains("found 0"))
        let rounds = SettingDescriptor(
            "engine.rounds", key: "rounds", .integer, unit: "rounds", range: SettingRange(1...10),
            .parameter(default: 3), "Rounds.")
        #expect(rounds.value(in: settings) == .integer(3))
        rounds.set(.integer(7), in: &settings)
        #expect(rounds.value(in: settings) == .integer(7))
    }

    /// A kind encodes as its name; an unknown name does not decode.
    @Test func kindsAreCodableByName() throws {
        let data = try JSONEncoder().encode([PolicyKind.thompson, .abTest])
        #expect(String(decoding: data, as: UTF8.self) == #"["thompson","ab-test"]"#)
        #expect(try JSONDecoder().decode([PolicyKind].self, from: data) == [.thompson, .abTest])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PolicyKind].self, from: Data(#"["x"]"#.utf8)) }
    }

    /// README's policy table names every registered policy (and the sweep example lists them all).
    @Test func readmeListsEveryPolicy() throws {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for name in PolicyRegistry.names {
            #expect(rows.contains { $0.contains("`\(name)`") }, "README's policy table lacks \(name)")
        }
        #expect(readme.contains("engine.policy: [\(PolicyRegistry.names.joined(separator: ", "))]"))
    }
}
