import Experiments
import Foundation
import LabTestSupport
import PropertyBased
import Scenarios
import Simulation
import Synchronization
import Testing

/// Issue 10, item 4: mutated curated scenarios (values replaced by huge, negative, NaN, non-numeric or structured
/// values; lines deleted, duplicated, re-indented; files truncated) never crash the loader, the mapping, the
/// truth table or the plan: every mutant is either accepted and usable, or rejected with every diagnostic located
/// (line ≥ 1). `LAB_FUZZ_ITERATIONS` sets the number of mutants (CI default 300; 2,000 for a long local run).
@Suite struct ScenarioFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LAB_FUZZ_ITERATIONS"] ?? "") ?? 300

    static let files = [
        "seed-narrative.yaml", "multi-persona.yaml", "aa-identical-flows.yaml", "retention-blind-spot.yaml",
        "drift.yaml", "cron-failures.yaml", "batched-4arm.yaml", "policy-baselines.yaml",
    ]

    static let texts: [String: String] = Dictionary(
        uniqueKeysWithValues: files.map {
            ($0, (try? String(contentsOfFile: Repo.scenario($0), encoding: .utf8)) ?? "")
        })

    /// Values that have broken parsers and simulators before.
    static let nasty = [
        "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e308", "-1e308", "1e20", "1e-320",
        ".nan", ".inf", "-.inf", "-1", "0", "0.0", "-0", "3651", "100001", "10000001", "40", "1000", "abc", "''",
        "null", "~", "[]", "{}", "[1, 2]", "{a: 1}", "true", "2026-01-01", "0x7fffffffffffffff", "1_000", "&anchor",
        "*alias", "\"\\u0000\"", "!!binary aGk=",
    ]

    enum Mutation: Int, CaseIterable {
        case replaceValue, deleteLine, duplicateLine, truncate, indent, swapLines, emptyValue
    }

    /// Applies one mutation, chosen and placed by the generated numbers.
    static func mutate(_ text: String, _ mutation: Mutation, at position: Int, value: String) -> String {
        var lines = text.components(separatedBy: "\n")
        let i = position % max(lines.count, 1)
        switch mutation {
        case .replaceValue, .emptyValue:
            let line = lines[i]
            if let colon = line.lastIndex(of: ":") {
                lines[i] = line[...colon] + " " + (mutation == .emptyValue ? "" : value)
            } else if let dash = line.firstIndex(of: "-") {
                lines[i] = line[...dash] + " " + value
            } else {
                lines[i] = value
            }
        case .deleteLine: lines.remove(at: i)
        case .duplicateLine: lines.insert(lines[i], at: i)
        case .truncate: return String(text.utf8.prefix(position % max(text.utf8.count, 1))) ?? ""
        case .indent: lines[i] = "   " + lines[i]
        case .swapLines: lines.swapAt(i, (i + 1) % lines.count)
        }
        return lines.joined(separator: "\n")
    }

    /// Mutants accepted and rejected (so the test cannot pass without checking anything).
    final class Tally: Sendable {
        let counts = Mutex((accepted: 0, rejected: 0))
    }

    @Test(.timeLimit(.minutes(5))) func mutantsAreAcceptedOrRejectedWithALocation() async {
        let tally = Tally()
        await propertyCheck(
            count: Self.iterations, input: Gen.element(of: Self.files), Gen.element(of: Mutation.allCases),
            Gen.int(in: 0...1_000_000), Gen.element(of: Self.nasty)
        ) { file, mutation, position, value in
            guard let file, let mutation, let value, let text = Self.texts[file] else { return }
            let mutant = Self.mutate(text, mutation, at: position, value: value)
            do {
                let scenario = try ScenarioLoader.parse(mutant, file: "mutant.yaml")
                // Accepted: the rest of the pipeline must take it without trapping.
                let plan = try ExperimentPlan(scenario: scenario, sweep: true, replicates: 1, horizonDays: 1)
                for configuration in plan.configurations {
                    let rows = Oracle(world: configuration.simulation.world).table(day: 0)
                    #expect(
                        rows.allSatisfy { $0.trueScore.isFinite && $0.meanTimeToFirstWinMinutes.isFinite },
                        "\(file) \(mutation) \(value): non-finite truth")
                }
                _ = Feasibility.warnings(for: plan)
                #expect(try ScenarioLoader.parse(scenario.resolvedYAML(), file: "resolved.yaml") == scenario)
                tally.counts.withLock { $0.accepted += 1 }
            } catch let error as ScenarioError {
                tally.counts.withLock { $0.rejected += 1 }
                #expect(!error.diagnostics.isEmpty)
                for diagnostic in error.diagnostics {
                    #expect(diagnostic.location.line >= 1, "unlocated: \(diagnostic) (\(file) \(mutation) \(value))")
                    #expect(!diagnostic.reason.isEmpty)
                }
            } catch {
                Issue.record(
                    "\(file) \(mutation) at \(position) with \(value): unexpected \(type(of: error)): \(error)")
            }
        }
        let counts = tally.counts.withLock { $0 }
        #expect(counts.accepted + counts.rejected == Self.iterations, "\(counts)")
        #expect(counts.accepted > 0 && counts.rejected > 0, "\(counts)")
        print("scenario fuzz: \(counts.accepted) mutants accepted, \(counts.rejected) rejected with a location")
    }
}
