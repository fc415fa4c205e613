import Foundation
import LabTestSupport
import Testing

/// A whole session on one database file, through the built binary: init with a configuration file, assignments,
/// events, outcomes, the nightly job, settings, and inspect in its three formats.
@Suite("engine session")
struct EngineSessionTests {
    /// 2026-11-27T00:00Z in minutes since 1970-01-01T00:00Z (20784 days · 1440).
    static let day0 = 29_928_960

    struct Assigned {
        var user: String
        var persona: String
        var flowId: String
        var mode: String
        var steps: [String]
        var at: Int
    }

    @Test func fullSession() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let config = try lab.write("engine.yaml", sessionConfig)

        // init: creates the database and applies the configuration.
        let initResult = try lab.run("engine", "init", "lab.sqlite", "--config", config, "--at", "2026-11-27T00:00Z")
        try #require(initResult.exitCode == 0, "\(initResult)")
        #expect(initResult.stdout.contains("created engine database lab.sqlite"))
        #expect(initResult.stdout.contains("2 persona(s), 2 candidate flow(s)"))

        // assign: 44 users across the two personas; JSON with sorted keys.
        var users: [Assigned] = []
        for i in 0..<44 {
            let persona = i % 2 == 0 ? "mlm_newbie" : "coach"
            let at = Self.day0 + 60 + 7 * i
            let r = try lab.run(
                "engine", "assign", "lab.sqlite", "--user", "u\(i)", "--persona", persona, "--at", "\(at)", "--seed",
                "11")
            try #require(r.exitCode == 0, "\(r)")
            #expect(r.stdout.hasPrefix("{\n  \"flowId\": "), "keys are sorted: \(r.stdout)")
            let object = try #require(try parseJSON(r.stdout) as? [String: Any])
            #expect(Set(object.keys) == ["persona", "variant", "flowId", "mode", "steps"])
            let flowId = try #require(object["flowId"] as? String)
            let mode = try #require(object["mode"] as? String)
            let steps = try #require(object["steps"] as? [String])
            #expect(object["persona"] as? String == persona)
            #expect(flowId == "\(persona)::[\(steps.joined(separator: ">"))]")
            #expect(["explore", "exploit"].contains(mode))
            users.append(Assigned(user: "u\(i)", persona: persona, flowId: flowId, mode: mode, steps: steps, at: at))
        }
        #expect(users.contains { $0.mode == "exploit" })
        #expect(
            Set(users.filter { $0.persona == "coach" }.map(\.flowId)).count >= 2, "the v3 default splits coach users")

        // A second assignment of the same user is refused by the engine.
        let again = try lab.run(
            "engine", "assign", "lab.sqlite", "--user", "u0", "--persona", "mlm_newbie", "--at", "\(Self.day0 + 500)")
        #expect(again.exitCode == 6, "\(again)")
        #expect(again.stderr == "error: user 'u0' already has a flow assignment\n")

        // events: every step of the presented flow; users whose index is a multiple of 3 reach the activation event.
        var activated: Set<String> = []
        for (i, u) in users.enumerated() {
            let activation = u.persona == "mlm_newbie" ? "first_lead" : "first_booking"
            for (k, step) in u.steps.enumerated() {
                if step == activation && i % 3 != 0 { continue }
                let r = try lab.run(
                    "engine", "event", "lab.sqlite", "--user", u.user, "--event", step, "--at",
                    "\(u.at + 30 * (k + 1))",
                    "--metadata", #"{"source":"cli-test"}"#)
                try #require(r.exitCode == 0, "\(r)")
                if step == activation {
                    activated.insert(u.user)
                    #expect(r.stdout.contains("(activation event: activated within 7 days)"), "\(r)")
                }
            }
        }
        #expect(activated.count == 15)

        // outcomes: retention and upgrades; repeating one changes nothing.
        for u in users.prefix(6) {
            let r = try lab.run(
                "engine", "outcome", "lab.sqlite", "--user", u.user, "--outcome", "retained_30d", "--at",
                "\(u.at + 600)")
            try #require(r.exitCode == 0, "\(r)")
        }
        let upgrade = try lab.run(
            "engine", "outcome", "lab.sqlite", "--user", "u1", "--outcome", "upgraded", "--at", "\(Self.day0 + 900)")
        #expect(upgrade.exitCode == 0)
        #expect(upgrade.stdout.hasPrefix("recorded outcome upgraded for user u1"))
        let repeated = try lab.run(
            "engine", "outcome", "lab.sqlite", "--user", "u1", "--outcome", "upgraded", "--at", "\(Self.day0 + 901)")
        #expect(repeated.exitCode == 0)
        #expect(repeated.stdout.contains("nothing changed"))

        // nightly: completes, discovers the presented flows, elects a champion per persona (law lowered to 5).
        let nightly = try lab.run("engine", "nightly", "lab.sqlite", "--at", "2026-11-28T00:00Z", "--format", "json")
        try #require(nightly.exitCode == 0, "\(nightly)")
        let report = try #require(try parseJSON(nightly.stdout) as? [String: Any])
        let job = try #require(report["job"] as? [String: Any])
        #expect(job["status"] as? String == "completed")
        #expect(job["started_at"] as? Int == Self.day0 + 1440)
        let presented = Set(users.map(\.flowId))
        let candidates: Set = [
            "mlm_newbie::[chatbot_setup>product_added>first_lead]", "coach::[profile_done>first_booking]",
        ]
        let patternCount = presented.union(candidates).count
        #expect(job["patterns_discovered"] as? Int == presented.count)
        let changes = try #require(report["changes"] as? [[String: Any]])
        #expect(Set(changes.compactMap { $0["persona"] as? String }) == ["coach", "mlm_newbie"], "\(nightly)")
        #expect(job["champions_updated"] as? Int == changes.count)

        // settings: ε above the law is kept, used clamped, and reported.
        let set = try lab.run(
            "engine", "settings", "lab.sqlite", "--set", "epsilon=0.5", "--set", "window_days=14", "--at",
            "2026-11-28T00:05Z")
        try #require(set.exitCode == 0, "\(set)")
        #expect(
            set.stderr
                == "warning: epsilon 0.5 is above law.max_epsilon 0.3: the engine uses 0.3 (governance_epsilon_clamped recorded)\n"
        )
        let settingsLines = set.stdout.split(separator: "\n").map(String.init)
        #expect(settingsLines.first == "key                                  value                effective")
        #expect(settingsLines.contains { $0.hasPrefix("epsilon ") && $0.hasSuffix(" 0.3") && $0.contains(" 0.5 ") })
        #expect(settingsLines.contains { $0.hasPrefix("window_days ") && $0.contains(" 14") })
        let settingsJSON = try lab.run("engine", "settings", "lab.sqlite", "--format", "json")
        let settingRows = try #require(try parseJSON(settingsJSON.stdout) as? [[String: Any]])
        let epsilon = try #require(settingRows.first { $0["key"] as? String == "epsilon" })
        #expect(epsilon["value"] as? Double == 0.5)
        #expect(epsilon["effective"] as? Double == 0.3)
        #expect(settingRows.count == 20)

        // inspect, table: a heading per section, aligned tables.
        let beforeInspect = try lab.bytes("lab.sqlite")
        let table = try lab.run("inspect", "lab.sqlite")
        try #require(table.exitCode == 0, "\(table)")
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for heading in ["patterns (\(patternCount))", "champions (2)", "jobs (1)", "trend (1)"] {
            #expect(lines.contains(heading), "missing heading \(heading)\n\(table.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("events (") })
        #expect(
            lines.contains {
                $0.hasPrefix("persona     flow_id ") && $0.contains("  sample_size  win_rate_7d  win_rate_30d")
            })
        #expect(
            lines.contains { $0.hasPrefix("20784  2026-11-27     44         15            0.341") }, "\(table.stdout)")
        #expect(table.stdout.contains("governance_epsilon_clamped"))
        #expect(table.stdout.contains("onboarding_flow_champion_changed"))

        // inspect, CSV of one section: RFC 4180, full-precision numbers, minutes.
        let csv = try lab.run("inspect", "lab.sqlite", "--section", "patterns", "--format", "csv")
        try #require(csv.exitCode == 0, "\(csv)")
        let records = csv.stdout.components(separatedBy: "\r\n")
        #expect(
            records.first
                == "persona,flow_id,sample_size,win_rate_7d,win_rate_30d,avg_time_to_first_win_minutes,win_score,exploration_priority,suggested_variant,is_champion,updated_at"
        )
        #expect(records.last == "", "every record ends with CRLF")
        #expect(records.count == patternCount + 2)
        let trendCSV = try lab.run(
            "inspect", "lab.sqlite", "--section", "trend", "--format", "csv", "--at", "2026-11-28T00:00Z", "--days", "2"
        )
        #expect(
            trendCSV.stdout == "day,date,total,activated,activation_rate\r\n20784,2026-11-27,44,15,\(15.0 / 44.0)\r\n")

        // inspect, JSON: one object keyed by section; sample sizes add up to the users.
        let json = try lab.run("inspect", "lab.sqlite", "--format", "json")
        try #require(json.exitCode == 0, "\(json)")
        let sections = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect(Set(sections.keys) == ["patterns", "champions", "jobs", "events", "trend"])
        let patterns = try #require(sections["patterns"] as? [[String: Any]])
        #expect(patterns.compactMap { $0["sample_size"] as? Int }.reduce(0, +) == 44)
        #expect(patterns.filter { $0["is_champion"] as? Bool == true }.count == 2)
        let champions = try #require(sections["champions"] as? [[String: Any]])
        #expect(champions.map { $0["persona"] as? String } == ["coach", "mlm_newbie"])
        #expect(champions.allSatisfy { ($0["champion_flow_id"] as? String)?.isEmpty == false })
        let events = try #require(sections["events"] as? [[String: Any]])
        #expect(events.contains { $0["event_type"] as? String == "governance_epsilon_clamped" })
        let trend = try #require(sections["trend"] as? [[String: Any]])
        #expect(trend.count == 1)
        #expect(trend.first?["total"] as? Int == 44)
        #expect(trend.first?["activated"] as? Int == 15)

        // --persona narrows patterns, champions and events.
        let coach = try lab.run(
            "inspect", "lab.sqlite", "--section", "patterns", "--persona", "coach", "--format", "json")
        let coachSections = try #require(try parseJSON(coach.stdout) as? [String: Any])
        let coachPatterns = try #require(coachSections["patterns"] as? [[String: Any]])
        #expect(!coachPatterns.isEmpty)
        #expect(coachPatterns.allSatisfy { $0["persona"] as? String == "coach" })
        #expect(try lab.bytes("lab.sqlite") == beforeInspect, "inspect only reads")
    }

    /// The policy stream is derived from --seed and the user id, so one command gives one answer.
    @Test func assignmentIsReproducible() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let config = try lab.write("engine.yaml", sessionConfig)
        var outputs: [String] = []
        for name in ["a.sqlite", "b.sqlite"] {
            let created = try lab.run("engine", "init", name, "--config", config, "--at", "0")
            try #require(created.exitCode == 0, "\(created)")
            var out = ""
            for i in 0..<12 {
                let r = try lab.run(
                    "engine", "assign", name, "--user", "user-\(i)", "--persona", "coach", "--at", "\(10 + i)",
                    "--seed", "99", "--format", "csv")
                try #require(r.exitCode == 0, "\(r)")
                out += r.stdout
            }
            outputs.append(out)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].hasPrefix("persona,variant,flowId,mode,steps\r\ncoach,"))
    }

    /// `init` on an existing database migrates it and keeps its contents; without --config it changes no setting.
    @Test func initIsIdempotent() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let first = try lab.run("engine", "init", "db.sqlite", "--at", "0")
        #expect(first.exitCode == 0)
        #expect(first.stdout == "created engine database db.sqlite\n")
        let set = try lab.run("engine", "settings", "db.sqlite", "--set", "holdback=0.25", "--at", "1")
        #expect(set.exitCode == 0, "\(set)")
        let second = try lab.run("engine", "init", "db.sqlite", "--at", "2")
        #expect(second.exitCode == 0)
        #expect(second.stdout == "engine database db.sqlite is up to date\n")
        let settings = try lab.run("engine", "settings", "db.sqlite", "--format", "csv")
        #expect(settings.stdout.contains("\r\nholdback,0.25,\r\n"), "\(settings)")
    }

    /// A bad configuration file lists every problem with file:line:column and writes nothing.
    @Test func badConfigurationFile() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let config = try lab.write(
            "bad.yaml",
            """
            personas:
              - id: mlm_newbie
                activation_event: first_lead
                colour: blue
            engine: {epsilon: 1.5}
            """)
        let r = try lab.run("engine", "init", "new.sqlite", "--config", config, "--at", "0")
        #expect(r.exitCode == 2, "\(r)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(r)")
        #expect(lines.allSatisfy { $0.hasPrefix("error: \(config):") })
        #expect(lines.contains { $0.contains(":4:") && $0.contains("personas[0].colour") })
        #expect(lines.contains { $0.contains(":5:") && $0.contains("engine.epsilon") })
        #expect(!FileManager.default.fileExists(atPath: lab.path("new.sqlite")), "nothing is created")

        // An existing database is left as it was.
        #expect(try lab.run("engine", "init", "old.sqlite", "--at", "0").exitCode == 0)
        let before = try lab.bytes("old.sqlite")
        let again = try lab.run("engine", "init", "old.sqlite", "--config", config, "--at", "5")
        #expect(again.exitCode == 2)
        #expect(try lab.bytes("old.sqlite") == before)
    }

    /// A nightly job that fails is recorded (status failed, onboarding_learning_job_failed) and exits 1. The failure
    /// is provoked with a journey whose presented steps the engine cannot read.
    @Test(.enabled(if: LabCLI.sqlite3 != nil, "needs the sqlite3 command-line tool to damage a journey"))
    func failedNightlyJob() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let config = try lab.write("engine.yaml", sessionConfig)
        #expect(try lab.run("engine", "init", "db.sqlite", "--config", config, "--at", "0").exitCode == 0)
        #expect(
            try lab.run("engine", "assign", "db.sqlite", "--user", "ann", "--persona", "mlm_newbie", "--at", "10")
                .exitCode == 0)
        // The journey-state trigger calls engine_now(), which only the lab's connections define.
        try lab.sqlite(
            "db.sqlite",
            """
            DROP TRIGGER update_journey_state_timestamp;
            UPDATE onboarding_journey_state SET step_order = '[1]' WHERE user_id = 'ann';
            """)
        let nightly = try lab.run("engine", "nightly", "db.sqlite", "--at", "1440")
        #expect(nightly.exitCode == 1, "\(nightly)")
        #expect(nightly.stdout.split(separator: "\n").dropFirst(2).first?.contains("  failed  ") == true, "\(nightly)")
        #expect(
            nightly.stderr
                == "error: the nightly learning job failed: corrupt row in onboarding_journey_state (mlm_newbie), column step_order: not a JSON array of step ids: [1]\n"
        )
        let inspect = try lab.run("inspect", "db.sqlite", "--section", "events", "--format", "json")
        let events = try #require((try parseJSON(inspect.stdout) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(events.map { $0["event_type"] as? String } == ["onboarding_learning_job_failed"])
    }
}
