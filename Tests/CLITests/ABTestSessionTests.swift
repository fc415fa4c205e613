import Foundation
import LabTestSupport
import Testing

/// The `ab-test` policy on a real database file: every command is a new process, so the test's start and its
/// decision must come back from the file (issue 7, item 6).
@Suite("ab-test on a database")
struct ABTestSessionTests {
    /// 2026-11-27T00:00Z in minutes since 1970-01-01T00:00Z.
    static let day0 = 29_928_960
    static let day = 1440

    static let config = """
        personas:
          - id: mlm_newbie
            activation_event: first_lead
            v3_default: [{flow: A, variant: product_first}]
            flows:
              - {id: A, steps: [product_added, first_lead]}
              - {id: B, steps: [chatbot_setup, first_lead], candidate: true}
        engine: {policy: ab-test, ab_test_days: 2}
        """

    func assign(_ lab: LabCLI, _ user: String, at: Int) throws -> (steps: [String], mode: String) {
        let r = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", user, "--persona", "mlm_newbie", "--at", "\(at)")
        try #require(r.exitCode == 0, "\(r)")
        let object = try #require(try parseJSON(r.stdout) as? [String: Any])
        return (try #require(object["steps"] as? [String]), try #require(object["mode"] as? String))
    }

    @Test func theDecisionSurvivesRestarts() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let config = try lab.write("engine.yaml", Self.config)
        let initResult = try lab.run("engine", "init", "lab.sqlite", "--config", config, "--at", "\(Self.day0)")
        try #require(initResult.exitCode == 0, "\(initResult)")

        // The test: users split over A and B (explore); B's users win.
        var seen = Set<[String]>()
        for i in 0..<16 {
            let at = Self.day0 + 600 + 10 * i
            let a = try assign(lab, "u\(i)", at: at)
            #expect(a.mode == "explore")
            seen.insert(a.steps)
            if a.steps == ["chatbot_setup", "first_lead"] {
                let e = try lab.run(
                    "engine", "event", "lab.sqlite", "--user", "u\(i)", "--event", "first_lead", "--at", "\(at + 5)")
                try #require(e.exitCode == 0, "\(e)")
            }
        }
        #expect(seen.count == 2, "both arms served: \(seen)")
        let first = try lab.run("engine", "nightly", "lab.sqlite", "--at", "\(Self.day0 + Self.day)")
        try #require(first.exitCode == 0, "\(first)")
        #expect(try assign(lab, "mid", at: Self.day0 + Self.day + 60).mode == "explore")

        // Day 2 (the test started on day 0): the nightly job fixes B, for good.
        let second = try lab.run("engine", "nightly", "lab.sqlite", "--at", "\(Self.day0 + 2 * Self.day)")
        try #require(second.exitCode == 0, "\(second)")
        for i in 0..<6 {
            let a = try assign(lab, "after\(i)", at: Self.day0 + 2 * Self.day + 60 + i)
            #expect(a.steps == ["chatbot_setup", "first_lead"] && a.mode == "exploit", "user after\(i): \(a)")
        }
        let events = try lab.run("inspect", "lab.sqlite", "--section", "events", "--format", "json")
        try #require(events.exitCode == 0, "\(events)")
        #expect(events.stdout.components(separatedBy: "onboarding_ab_test_concluded").count == 2, "\(events.stdout)")
        #expect(events.stdout.contains("mlm_newbie::[chatbot_setup>first_lead]"))
    }
}
