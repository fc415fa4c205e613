import Dashboard
import Foundation
import Hummingbird
import LabTestSupport
import NIOCore
import OnboardingEngine
import OnboardingPersistence
import Testing

/// Every route of the dashboard through an in-process router client (RouterClient).
@Suite("dashboard routes")
struct DashboardRouteTests {
    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let text = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    /// `text` as the page writes it in an attribute or element (flow ids hold `>`).
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func enginePageShowsEveryPatternAndChampion() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let (patterns, champions) = try fixture.read { engine, store in
            let patterns = try engine.getAllFlowPatterns()
            return (patterns, patterns.filter(\.isChampion))
        }
        try #require(champions.count >= 2, "the history elects champions")
        let app = RouterClient(router: try fixture.server().router())
        try await app.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                let html = String(buffer: response.body)
                for p in patterns {
                    let row =
                        "data-flow=\"\(Self.escaped(p.flowId))\" data-sample=\"\(p.sampleSize)\" data-champion=\"\(p.isChampion)\""
                    #expect(html.contains(row), "performance row of \(p.flowId)")
                }
                for c in champions {
                    #expect(html.contains("<div class=\"card champion\" data-flow=\"\(Self.escaped(c.flowId))\""))
                }
                #expect(html.contains("<svg"), "the trend chart is inline SVG")
                #expect(html.contains("Activation trend"))
                #expect(html.contains("name=\"csrf_token\" value=\"csrf-fixed-for-tests\""))
                #expect(html.contains("class=\"job failed\""), "the history's injected failures are listed")
                #expect(html.contains("injected fault"), "with their message")
                #expect(html.contains("data-event=\"onboarding_flow_champion_changed\""))
                #expect(!html.contains("<script src"), "no external script")
            }
            try await client.execute(uri: "/?days=0", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(
                    String(buffer: response.body).contains("days must be an integer in 1…3650, found &apos;0&apos;"))
            }
        }
    }

    @Test func flowPatternsMarkDifferencesFromTheChampion() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let app = RouterClient(router: try fixture.server().router())
        let mlm = try fixture.read { engine, _ in try engine.getAllFlowPatterns(persona: "mlm_newbie") }
        let champion = try #require(mlm.first { $0.isChampion })
        let challenger = try #require(mlm.first { !$0.isChampion && $0.steps != champion.steps })
        try await app.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                let html = String(buffer: response.body)
                let start = try #require(
                    html.range(of: "<div class=\"flow\" data-flow=\"\(Self.escaped(challenger.flowId))\">"))
                let line = html[start.upperBound...].prefix { $0 != "\n" }
                let expected = FlowDifferences(steps: challenger.steps, champion: champion.steps)
                for (step, mark) in expected.steps {
                    #expect(line.contains("<span class=\"step \(mark.rawValue)\">\(step)</span>"), "\(step) \(mark)")
                }
                #expect(!expected.isIdentical)
            }
        }
    }

    @Test func jsonEndpointsEqualTheDatabase() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let (patterns, jobs, events, trend) = try fixture.read { engine, store in
            (
                try engine.getAllFlowPatterns(), try store.jobs(), try store.orchestratorEvents(),
                try engine.getActivationTrendData(days: 10, now: (DashboardFixture.days - 1) * 1440)
            )
        }
        let app = RouterClient(router: try fixture.server().router())
        try await app.test { client in
            try await client.execute(uri: "/api/patterns", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                let rows = try #require(object["patterns"] as? [[String: Any]])
                #expect(rows.map { $0["flow_id"] as? String } == patterns.map(\.flowId))
                #expect(rows.map { $0["sample_size"] as? Int } == patterns.map(\.sampleSize))
                #expect(rows.map { $0["is_champion"] as? Bool } == patterns.map(\.isChampion))
                for (row, p) in zip(rows, patterns) where p.sampleSize > 0 {
                    let ci = try #require(row["win_rate_7d_ci95"] as? [Double])
                    #expect(ci[0] <= p.winRate7d + 1e-12 && p.winRate7d <= ci[1] + 1e-12, "\(p.flowId): \(ci)")
                }
                let epsilon = try #require(object["epsilon"] as? [String: Any])
                #expect(epsilon["max_epsilon"] as? Double == 0.3)
            }
            try await client.execute(uri: "/api/trend?days=10", method: .get) { response in
                #expect(response.status == .ok)
                let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                let points = try #require(object["points"] as? [[String: Any]])
                #expect(points.count == 10)
                #expect(points.map { $0["total"] as? Int } == trend.map(\.total))
                #expect(points.map { $0["activated"] as? Int } == trend.map(\.activated))
                #expect(object["end_date"] as? String == Clock.isoDate(day: DashboardFixture.days - 1))
            }
            for bad in ["/api/trend?days=0", "/api/trend?days=3651", "/api/trend?days=ten"] {
                try await client.execute(uri: bad, method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                    #expect((object["error"] as? String)?.contains("days must be an integer in 1…3650") == true)
                }
            }
            try await client.execute(uri: "/api/jobs", method: .get) { response in
                let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                let rows = try #require(object["jobs"] as? [[String: Any]])
                #expect(rows.map { $0["id"] as? String } == jobs.reversed().map(\.id), "newest first")
                let failed = rows.filter { $0["status"] as? String == "failed" }
                #expect(failed.count == jobs.filter { $0.status == .failed }.count && !failed.isEmpty)
                #expect(failed.allSatisfy { ($0["error_message"] as? String)?.isEmpty == false })
                #expect(rows.first?["started_at"] as? String == Clock.iso(jobs.last?.startedAt ?? 0))
            }
            try await client.execute(uri: "/api/events", method: .get) { response in
                let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                let rows = try #require(object["events"] as? [[String: Any]])
                #expect(rows.map { $0["event_type"] as? String } == events.reversed().map(\.eventType))
            }
        }
    }

    @Test func epsilonControlNeedsTheTokenAndIsClampedToTheLaw() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let before = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents().count) }
        #expect(before.0.epsilon == 0.2)
        let app = RouterClient(router: try fixture.server().router())
        try await app.test { client in
            // No token, a wrong token, a stale CSRF token: refused, nothing written.
            let refusals: [([(String, String)], HTTPResponse.Status)] = [
                ([("csrf_token", "csrf-fixed-for-tests"), ("epsilon", "0.1")], .unauthorized),
                (
                    [
                        ("csrf_token", "csrf-fixed-for-tests"), ("admin_token", "wrong-token-0123456789"),
                        ("epsilon", "0.1"),
                    ], .unauthorized
                ),
                ([("csrf_token", "stale"), ("admin_token", DashboardFixture.token), ("epsilon", "0.1")], .forbidden),
                ([("admin_token", DashboardFixture.token), ("epsilon", "0.1")], .forbidden),
            ]
            for (fields, status) in refusals {
                try await client.execute(
                    uri: "/admin/epsilon", method: .post, headers: Self.formHeaders, body: Self.form(fields)
                ) { response in
                    #expect(response.status == status, "\(fields)")
                }
            }
            try await client.execute(
                uri: "/admin/epsilon", method: .post, headers: [.authorization: "Bearer nope-nope-nope-nope"],
                body: nil
            ) { response in #expect(response.status == .unauthorized) }
            let unchanged = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents().count)
            }
            #expect(unchanged.0 == before.0 && unchanged.1 == before.1, "refused requests change nothing")

            // Out of range or not a number: 400, nothing written.
            for value in ["1.5", "-0.1", "abc", "nan"] {
                try await client.execute(
                    uri: "/admin/epsilon", method: .post, headers: Self.formHeaders,
                    body: Self.form([
                        ("csrf_token", "csrf-fixed-for-tests"), ("admin_token", DashboardFixture.token),
                        ("epsilon", value),
                    ])
                ) { response in #expect(response.status == .badRequest, "epsilon=\(value)") }
            }

            // With the token: 0.9 is clamped to law.max_epsilon = 0.3, and both events are recorded.
            try await client.execute(
                uri: "/admin/epsilon", method: .post, headers: Self.formHeaders,
                body: Self.form([
                    ("csrf_token", "csrf-fixed-for-tests"), ("admin_token", DashboardFixture.token), ("epsilon", "0.9"),
                ])
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Exploration rate set to 0.300 (was 0.200)"))
            }
            let after = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents()) }
            #expect(after.0.epsilon == 0.3)
            let added = Array(after.1.dropFirst(before.1))
            #expect(added.map(\.eventType) == ["onboarding_exploration_rate_changed", "governance_epsilon_clamped"])
            let payload = try #require(try parseJSON(added[0].payload) as? [String: Any])
            #expect(payload["requested"] as? Double == 0.9 && payload["epsilon"] as? Double == 0.3)
            #expect(payload["previous"] as? Double == 0.2 && payload["clamped"] as? Bool == true)
            #expect(added.allSatisfy { $0.occurredAt == fixture.now })

            // The header token needs no CSRF token; a value within the law is stored as given.
            try await client.execute(
                uri: "/admin/epsilon", method: .post,
                headers: [
                    .authorization: "Bearer \(DashboardFixture.token)",
                    .contentType: "application/x-www-form-urlencoded",
                ],
                body: ByteBuffer(string: "epsilon=0.05")
            ) { response in #expect(response.status == .ok) }
            let last = try fixture.read { engine, store in (engine.settings, try store.orchestratorEvents()) }
            #expect(last.0.epsilon == 0.05)
            #expect(last.1.count == after.1.count + 1, "no clamp event within the law")
        }
    }

    @Test func runNowCreatesAJobRow() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let before = try fixture.read { _, store in try store.jobs() }
        let app = RouterClient(router: try fixture.server().router())
        try await app.test { client in
            try await client.execute(
                uri: "/admin/run-nightly", method: .post, headers: Self.formHeaders,
                body: Self.form([("csrf_token", "csrf-fixed-for-tests")])
            ) { response in #expect(response.status == .unauthorized) }
            #expect(try fixture.read { _, store in try store.jobs() } == before)
            try await client.execute(
                uri: "/admin/run-nightly", method: .post, headers: Self.formHeaders,
                body: Self.form([("csrf_token", "csrf-fixed-for-tests"), ("admin_token", DashboardFixture.token)])
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("completed"))
            }
        }
        let after = try fixture.read { _, store in try store.jobs() }
        #expect(after.count == before.count + 1)
        let job = try #require(after.last)
        #expect(job.status == .completed && job.startedAt == fixture.now && job.jobType == "nightly_analysis")
    }

    @Test func adminActionsAreDisabledWithoutATokenFile() async throws {
        let fixture = try DashboardFixture(days: 3, usersPerDay: 5)
        defer { fixture.remove() }
        let app = RouterClient(router: try fixture.server(token: nil).router())
        try await app.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Admin actions are disabled"))
                #expect(!html.contains("<form"))
            }
            for uri in ["/admin/epsilon", "/admin/run-nightly"] {
                try await client.execute(
                    uri: uri, method: .post, headers: [.authorization: "Bearer \(DashboardFixture.token)"]
                ) { response in #expect(response.status == .forbidden, "\(uri)") }
            }
        }
    }

    @Test func aMissingDatabaseIsServiceUnavailable() async throws {
        let folder = try CLIRunner.makeTemporaryDirectory(prefix: "dashboard-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("gone.sqlite").path
        let server = DashboardServer(
            gateway: EngineGateway(path: path, now: { 0 }), admin: AdminGuard(adminToken: nil), results: nil)
        try await RouterClient(router: server.router()).test { client in
            try await client.execute(uri: "/api/jobs", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("gone.sqlite"))
            }
            try await client.execute(uri: "/results", method: .get) { response in
                #expect(response.status == .notFound, "no --results")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path), "the dashboard never creates a database")
    }

    /// A `running` job whose process is gone (kill -9: no live lease) is shown failed, "abandoned", in the job list
    /// and its API — without the dashboard writing anything (the next nightly job records it).
    @Test func abandonedJobShowsFailed() async throws {
        let fixture = try DashboardFixture()
        defer { fixture.remove() }
        let store = try SQLiteStore(path: fixture.database, mode: .existing)
        let last = try store.jobs().map(\.startedAt).max() ?? 0
        try store.insertJob(
            LearningJob(id: "killed-job", jobType: SQLiteStore.nightlyJobType, status: .running, startedAt: last + 1440)
        )
        try store.close()
        try await RouterClient(router: try fixture.server().router()).test { client in
            try await client.execute(uri: "/api/jobs", method: .get) { response in
                let object = try #require(try parseJSON(String(buffer: response.body)) as? [String: Any])
                let rows = try #require(object["jobs"] as? [[String: Any]])
                let killed = try #require(rows.first { $0["id"] as? String == "killed-job" })
                #expect(killed["status"] as? String == "failed", "\(killed)")
                #expect((killed["error_message"] as? String)?.hasPrefix("abandoned") == true, "\(killed)")
            }
        }
        let stored = try fixture.read { _, store in try store.jobs().first { $0.id == "killed-job" } }
        #expect(stored?.status == .running, "the dashboard only reads")
    }
}
