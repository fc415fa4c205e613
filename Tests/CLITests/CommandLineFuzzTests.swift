import Foundation
import LabTestSupport
import PropertyBased
import Testing

/// Issue 10, item 4: command-line integers and times outside their ranges (or not numbers at all) are usage
/// errors (exit 64) that name the option, never a crash. Each case runs the built binary, so the CI count is
/// small (`LAB_FUZZ_ITERATIONS` / 5, default 60).
@Suite struct CommandLineFuzzTests {
    static let iterations = (Int(ProcessInfo.processInfo.environment["LAB_FUZZ_ITERATIONS"] ?? "") ?? 300) / 5

    /// An option, the command it belongs to, and its range (values are drawn outside it).
    struct Target: Sendable {
        var option: String
        var mentions: String
        var low: Int
        var high: Int
    }

    static let targets = [
        Target(option: "--horizon", mentions: "--horizon", low: 1, high: 3650),
        Target(option: "--replicates", mentions: "--replicates", low: 1, high: 100_000),
        Target(option: "--threads", mentions: "--threads", low: 1, high: 1024),
        Target(option: "--set=engine.window_days", mentions: "engine.window_days", low: 1, high: 3650),
        Target(option: "--set=engine.ab_test_days", mentions: "engine.ab_test_days", low: 1, high: 3650),
        Target(
            option: "--set=governance.min_champion_sample", mentions: "governance.min_champion_sample", low: 1,
            high: 1_000_000_000_000),
    ]

    @Test(.timeLimit(.minutes(5))) func outOfRangeIntegersAreUsageErrors() async throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let scenario = Repo.scenario("seed-narrative.yaml")
        await propertyCheck(
            count: max(Self.iterations, 1), input: Gen.element(of: Self.targets), Gen.int(in: Int.min...Int.max),
            Gen.bool
        ) { target, number, garbage in
            guard let target else { return }
            // A value outside the range: below it, above it, or not an integer at all.
            let value: String
            if garbage {
                value = ["abc", "1.5", "", "0x", "1e400", "--", "٣"][abs(number % 7)]
            } else if number >= target.low && number <= target.high {
                value = number % 2 == 0 ? String(target.low - 1) : String(target.high) + "0"
            } else {
                value = String(number)
            }
            let option =
                target.option.hasPrefix("--set=")
                ? ["--set", String(target.option.dropFirst(6)) + "=" + value]
                : [target.option + "=" + value]
            let result = try? cli.run(["run", scenario, "--out", cli.path("never"), "--quiet"] + option)
            guard let result else {
                Issue.record("could not run onboarding-lab")
                return
            }
            #expect(result.exitCode == 64, "\(option): \(result)")
            #expect(result.stderr.contains(target.mentions) || result.stderr.contains(value), "\(option): \(result)")
            #expect(!FileManager.default.fileExists(atPath: cli.path("never")))
        }
    }
}
