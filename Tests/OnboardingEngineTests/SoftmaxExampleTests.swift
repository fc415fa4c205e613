import Foundation
import LabTestSupport
import Stochastics
import Testing

@testable import OnboardingEngine

// The worked example of README "Extending the lab", compiled and exercised here (it is not registered, so the lab's
// policies, settings table and outputs are unchanged). The test below checks README shows exactly this code.

/// Softmax (Boltzmann) exploration on the win score: pattern i with probability exp(s_i / τ) / Σ_j exp(s_j / τ),
/// τ = `engine.softmax_temperature` (Sutton & Barto, *Reinforcement Learning*, 2nd ed., §2.8). One uniform draw
/// from the policy stream per user; the v3 default while no pattern has a sample.
public struct SoftmaxPolicy: RegisteredPolicy {
    public static let name = "softmax"
    public static let summary = "softmax exploration (softmax)"
    public static let temperature = SettingDescriptor(
        "engine.softmax_temperature", key: "softmax_temperature", .number, unit: "win score",
        range: SettingRange(0.001, 100), .parameter(default: 0.05),
        "policy softmax: temperature τ of exp(win score / τ); small is greedy, large is uniform.")
    public static let settings = [temperature]
    public init() {}

    public func explorationApplies(_ context: PolicyContext) -> Bool { false }

    public func decide(_ context: PolicyContext, random: RandomStream) -> PolicyDecision {
        guard !context.hasNoSample else { return .v3Default(.exploit) }
        let tau = Self.temperature.number(in: context.settings) ?? 0.05
        let best = context.patterns.map(\.winScore).max() ?? 0
        let weights = context.patterns.map { exp(($0.winScore - best) / tau) }  // ≤ 1: no overflow
        guard let i = WeightedChoice.index(weights, u: random.uniform()) else { return .v3Default(.exploit) }
        return .pattern(i, context.mode(of: i))
    }
}

@Suite struct SoftmaxExampleTests {
    static func pattern(_ flow: String, score: Double, sample: Int = 50) -> FlowPattern {
        FlowPattern(
            id: flow, persona: "p", flowId: flow, steps: [flow], winRate7d: score, winRate30d: score,
            avgTimeToFirstWinMinutes: nil, sampleSize: sample, winScore: score, explorationPriority: 0.1,
            suggestedVariant: nil, isChampion: false, lastChampionAt: nil, electedWinScore: nil, lastObservedAt: nil,
            createdAt: 0, updatedAt: 0)
    }

    static func context(tau: Double?, patterns: [FlowPattern]) -> PolicyContext {
        var settings = EngineSettings()
        if let tau { SoftmaxPolicy.temperature.set(.real(tau), in: &settings) }
        return PolicyContext(persona: "p", patterns: patterns, settings: settings, epsilon: 0)
    }

    static func counts(tau: Double, draws: Int) -> [String: Int] {
        let context = context(
            tau: tau, patterns: [pattern("A", score: 0.30), pattern("B", score: 0.50), pattern("C", score: 0.45)])
        let random = RandomStream(seed: 7)
        var counts: [String: Int] = [:]
        for _ in 0..<draws {
            if case .pattern(let i, _) = SoftmaxPolicy().decide(context, random: random) {
                counts[context.patterns[i].flowId, default: 0] += 1
            }
        }
        return counts
    }

    /// A tiny temperature is greedy; a large one tries every pattern; the greedy pattern is the exploit mode.
    @Test func temperatureMovesFromGreedyToUniform() {
        #expect(Self.counts(tau: 0.001, draws: 200) == ["B": 200])
        let spread = Self.counts(tau: 100, draws: 600)
        #expect(spread.keys.sorted() == ["A", "B", "C"])
        #expect(spread.values.allSatisfy { $0 > 120 }, "\(spread)")
        let context = Self.context(
            tau: 0.001, patterns: [Self.pattern("A", score: 0.3), Self.pattern("B", score: 0.5)])
        #expect(
            SoftmaxPolicy().decide(context, random: RandomStream(seed: 1)) == .pattern(1, .exploit))
    }

    /// No sample yet: the v3 default, without a draw. The default temperature applies when none is set.
    @Test func noSampleAndDefaults() {
        let empty = Self.context(tau: nil, patterns: [Self.pattern("A", score: 0, sample: 0)])
        #expect(SoftmaxPolicy().decide(empty, random: RandomStream(seed: 1)) == .v3Default(.exploit))
        #expect(SoftmaxPolicy.temperature.number(in: EngineSettings()) == 0.05)
        if case .success = SoftmaxPolicy.temperature.check(text: "0") { Issue.record("τ = 0 accepted") }
        if case .success = SoftmaxPolicy.temperature.check(text: "101") { Issue.record("τ = 101 accepted") }
    }

    /// README "Extending the lab" shows this file's SoftmaxPolicy, line for line.
    @Test func readmeShowsThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let start = try #require(source.range(of: "/// Softmax (Boltzmann)"))
        let end = try #require(source.range(of: "\n}\n", range: start.upperBound..<source.endIndex))
        let example = String(source[start.lowerBound..<end.upperBound])
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains(example),
            "README's SoftmaxPolicy differs from Tests/OnboardingEngineTests/SoftmaxExampleTests.swift")
    }
}
