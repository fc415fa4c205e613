import Experiments

/// `check --junit FILE`: the verdicts as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub Actions
/// reporters) read. One `<testsuite>` per scenario, one `<testcase>` per check, a `<failure>` for every check that
/// did not pass; the numbers are `<property>` elements of the suite (the rule) and of each test case (the
/// verdict). No timestamps or durations, so the file is byte-identical for the same scenario and seed.
public struct JUnitReport: Sendable {
    public var suite: String
    public var results: [CheckResult]
    /// Suite-level properties, in order (scenario, seed, the rule's settings).
    public var properties: [(name: String, value: String)]

    public init(suite: String, results: [CheckResult], properties: [(name: String, value: String)]) {
        self.suite = suite
        self.results = results
        self.properties = properties
    }

    /// A check's test case name: `persona: champion is the true best flow on day D with P ≥ p`.
    public static func caseName(_ r: CheckResult) -> String {
        "\(r.persona): champion is the true best flow on day \(r.day) with P ≥ \(Format.number(r.required))"
    }

    /// Why a check did not pass, in one sentence (also printed by `check`).
    public static func failureMessage(_ r: CheckResult) -> String? {
        let interval = r.interval.map { "[\(Format.fixed($0.lower, 4)), \(Format.fixed($0.upper, 4))]" } ?? "–"
        switch r.decision {
        case .pass: return nil
        case .fail:
            return
                "upper bound \(Format.fixed(r.interval?.upper, 4)) < required \(Format.number(r.required)) after \(r.replicates) replicates (\(r.correct) correct, interval \(interval))"
        case .undecided:
            return
                "undecided after \(r.replicates) replicates (\(r.correct) correct, interval \(interval) contains the required \(Format.number(r.required)))"
        case .cannotPass:
            return
                "cannot pass at --max-replicates: even all replicates correct give a lower bound of \(Format.fixed(r.bestLowerBound, 4)) < required \(Format.number(r.required))"
        }
    }

    public var text: String {
        let failures = results.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"onboarding-lab check\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out +=
            "  <testsuite name=\"\(Self.escape(suite))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        out += "    <properties>\n"
        for p in properties { out += Self.property(p.name, p.value, indent: 6) }
        out += "    </properties>\n"
        for r in results {
            out +=
                "    <testcase classname=\"\(Self.escape(suite))\" name=\"\(Self.escape(Self.caseName(r)))\">\n"
            out += "      <properties>\n"
            out += Self.property("decision", r.decision.rawValue, indent: 8)
            out += Self.property("persona", r.persona, indent: 8)
            out += Self.property("day", String(r.day), indent: 8)
            out += Self.property("required", Format.number(r.required), indent: 8)
            out += Self.property("replicates", String(r.replicates), indent: 8)
            out += Self.property("correct", String(r.correct), indent: 8)
            out += Self.property("estimate", Format.number(r.estimate), indent: 8)
            out += Self.property("lower_bound", Format.number(r.interval?.lower), indent: 8)
            out += Self.property("upper_bound", Format.number(r.interval?.upper), indent: 8)
            out += Self.property("best_lower_bound", Format.number(r.bestLowerBound), indent: 8)
            out += "      </properties>\n"
            if let message = Self.failureMessage(r) {
                out +=
                    "      <failure type=\"\(r.decision.rawValue)\" message=\"\(Self.escape(message))\">\(Self.escape(message))</failure>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    static func property(_ name: String, _ value: String, indent: Int) -> String {
        String(repeating: " ", count: indent) + "<property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
    }

    /// XML character escaping for text and attribute values.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }
}
