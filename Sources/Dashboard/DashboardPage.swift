import OnboardingEngine
import Reports
import Stochastics

/// The dashboard's main page (SPEC §5.3): champion vs challengers, the persona × flow performance table, the
/// activation trend, the flow patterns, the admin controls, learning jobs and orchestrator events.
///
/// Elements carry `id`s and `data-*` attributes (persona, flow, sample, champion) so a browser test can read the
/// rendered DOM. No script is needed; one small inline script shows the slider's value as it moves.
struct DashboardPage {
    var snapshot: EngineSnapshot
    var databasePath: String
    var guardInfo: (adminEnabled: Bool, csrfToken: String)
    var trendDays: Int
    var hasResults: Bool
    /// A message shown at the top (the outcome of an admin action).
    var notice: String?

    static func navigation(hasResults: Bool) -> [(href: String, label: String)] {
        [("/", "Engine"), ("/#patterns", "Flow patterns"), ("/#jobs", "Jobs"), ("/#events", "Events")]
            + (hasResults ? [("/results", "Lab results")] : [])
    }

    var html: String {
        let rows = PerformanceRow.rows(snapshot)
        var body = ""
        if let notice { body += "<p class=\"notice\" id=\"notice\">\(HTML.escape(notice))</p>\n" }
        body += "<p class=\"muted\">Database <code>\(HTML.escape(databasePath))</code> · times in UTC</p>\n"
        body += championCards()
        body += performanceTable(rows)
        body += trendSection()
        body += patternSection(rows)
        body += adminSection()
        body += jobSection()
        body += eventSection()
        return HTML.page(
            title: "Onboarding engine", navigation: Self.navigation(hasResults: hasResults), body: body)
    }

    // MARK: Sections

    func championCards() -> String {
        var out = "<section id=\"champions\"><h2>Champion vs challengers</h2>\n"
        if snapshot.personas.isEmpty { out += "<p class=\"muted\">No persona is configured yet.</p>\n" }
        for persona in snapshot.personas {
            let patterns = snapshot.patterns(of: persona)
            let champion = snapshot.champion(of: persona)
            out += "<h3>\(HTML.escape(persona))</h3><div class=\"cards\" data-persona=\"\(HTML.escape(persona))\">\n"
            if let champion {
                out += card(champion, champion: nil)
            } else {
                out += "<div class=\"card no-champion\"><strong>No champion yet</strong><p class=\"muted\">"
                out += "A pattern needs at least \(snapshot.settings.effectiveMinChampionSample) users.</p></div>\n"
            }
            for challenger in patterns where !challenger.isChampion { out += card(challenger, champion: champion) }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }

    func card(_ p: FlowPattern, champion: FlowPattern?) -> String {
        let role = champion == nil ? "champion" : "challenger"
        var out = "<div class=\"card \(role)\" data-flow=\"\(HTML.escape(p.flowId))\" data-role=\"\(role)\">"
        out += "<strong>\(role == "champion" ? "Champion" : "Challenger")</strong> "
        out += "<code>\(HTML.escape(p.steps.joined(separator: " → ")))</code><br>"
        out += "win score <b>\(HTML.number(p.winScore))</b>"
        if let champion {
            let delta = p.winScore - champion.winScore
            out += " <span class=\"delta \(delta < 0 ? "neg" : "pos")\">(\(delta >= 0 ? "+" : "")"
            out += "\(HTML.number(delta)) vs champion)</span>"
        }
        out += "<br>sample \(p.sampleSize) · 7-day \(HTML.number(p.winRate7d)) · 30-day \(HTML.number(p.winRate30d))"
        if let t = p.avgTimeToFirstWinMinutes { out += " · first win \(HTML.number(t, decimals: 0)) min" }
        if let at = p.lastChampionAt, champion == nil {
            out += "<br><span class=\"muted\">champion since \(Clock.iso(at))</span>"
        }
        return out + "</div>\n"
    }

    func performanceTable(_ rows: [PerformanceRow]) -> String {
        var out = "<section id=\"performance\"><h2>Persona × flow performance</h2>\n"
        out += "<p class=\"muted\">Rates with Wilson 95% intervals over the pattern's sample (the learning window of "
        out += "its last nightly job); exploration priority is the weight an exploring user gives the pattern.</p>\n"
        out += "<table id=\"performance-table\"><thead><tr><th>persona</th><th>flow</th><th>sample</th>"
        out += "<th>7-day activation [95% CI]</th><th>30-day retention [95% CI]</th><th>avg first win (min)</th>"
        out += "<th>win score</th><th>exploration priority</th><th>variant</th><th>champion</th></tr></thead><tbody>\n"
        for row in rows {
            let p = row.pattern
            out += "<tr class=\"pattern\(p.isChampion ? " champion" : "")\" data-persona=\"\(HTML.escape(p.persona))\" "
            out += "data-flow=\"\(HTML.escape(p.flowId))\" data-sample=\"\(p.sampleSize)\" "
            out += "data-champion=\"\(p.isChampion)\">"
            out += "<td>\(HTML.escape(p.persona))</td><td><code>\(HTML.escape(p.flowId))</code></td>"
            out += "<td class=\"num sample\">\(p.sampleSize)</td>"
            out += "<td class=\"num\">\(rate(p.winRate7d, row.winRate7dInterval))</td>"
            out += "<td class=\"num\">\(rate(p.winRate30d, row.winRate30dInterval))</td>"
            out += "<td class=\"num\">\(HTML.number(p.avgTimeToFirstWinMinutes, decimals: 1))</td>"
            out += "<td class=\"num\">\(HTML.number(p.winScore))</td>"
            out += "<td class=\"num\">\(HTML.number(p.explorationPriority, decimals: 2))</td>"
            out += "<td>\(HTML.escape(p.suggestedVariant ?? "—"))</td>"
            out += "<td class=\"champion-mark\">\(p.isChampion ? "★ champion" : "")</td></tr>\n"
        }
        if rows.isEmpty { out += "<tr><td colspan=\"10\" class=\"muted\">No flow pattern yet.</td></tr>\n" }
        return out + "</tbody></table></section>\n"
    }

    func rate(_ value: Double, _ interval: Interval?) -> String {
        guard let interval else { return HTML.number(value) }
        return "\(HTML.number(value)) [\(HTML.number(interval.lower)), \(HTML.number(interval.upper))]"
    }

    func trendSection() -> String {
        var out = "<section id=\"trend\"><h2>Activation trend</h2>\n"
        out +=
            "<p class=\"muted\">JSON: <a href=\"/api/trend?days=\(trendDays)\">/api/trend?days=\(trendDays)</a></p>\n"
        out += Self.trendSVG(snapshot, days: trendDays)
        return out + "</section>\n"
    }

    /// The trend chart: x = days before the latest signup day, y = the day's 7-day activation rate with its
    /// Wilson 95% band (the chart code of report.md).
    static func trendSVG(_ snapshot: EngineSnapshot, days: Int) -> String {
        guard let end = snapshot.trendEndDay else {
            return ReportCharts.engineActivationTrend(
                points: [], subtitle: "Nobody has been assigned yet.", xTitle: "Days before the latest signup day")
        }
        let points = snapshot.trend.map { t -> ReportCharts.DailyRate in
            let interval = PerformanceRow.wilson(t.activationRate, n: t.total)
            return ReportCharts.DailyRate(
                day: t.day - end, rate: t.total > 0 ? t.activationRate : nil, lower: interval?.lower,
                upper: interval?.upper)
        }
        let first = Clock.isoDate(day: end - days + 1) ?? String(end - days + 1)
        let last = Clock.isoDate(day: end) ?? String(end)
        return ReportCharts.engineActivationTrend(
            points: points,
            subtitle: "Share of each day's signups activated within 7 days, \(first) to \(last) (day 0); "
                + "signups younger than 7 days may still activate.",
            xTitle: "Days before \(last)")
    }

    func patternSection(_ rows: [PerformanceRow]) -> String {
        var out = "<section id=\"patterns\"><h2>Flow patterns</h2>\n"
        out += "<p class=\"muted\">Each flow's steps in order, compared with its persona's champion: "
        out += "<span class=\"step same\">same place</span> <span class=\"step moved\">moved</span> "
        out += "<span class=\"step added\">not in the champion</span> "
        out += "<span class=\"step missing\">champion step missing</span></p>\n"
        for persona in snapshot.personas {
            out += "<h3>\(HTML.escape(persona))</h3>\n"
            for row in rows where row.pattern.persona == persona {
                let p = row.pattern
                out += "<div class=\"flow\" data-flow=\"\(HTML.escape(p.flowId))\">"
                out += "<span class=\"label\">\(p.isChampion ? "★ champion" : "sample \(p.sampleSize)")</span>"
                let marked =
                    row.differences?.steps ?? p.steps.map { (step: $0, mark: FlowDifferences.Mark.same) }
                out += marked.map { "<span class=\"step \($0.mark.rawValue)\">\(HTML.escape($0.step))</span>" }
                    .joined(separator: "<span class=\"arrow\">→</span>")
                for step in row.differences?.missing ?? [] {
                    out += " <span class=\"step missing\" title=\"in the champion, not in this flow\">"
                    out += "\(HTML.escape(step))</span>"
                }
                out += "</div>\n"
            }
        }
        return out + "</section>\n"
    }

    func adminSection() -> String {
        let s = snapshot.settings
        var out = "<section id=\"admin\"><h2>Exploration rate and learning job</h2>\n"
        out += "<p>ε configured <b id=\"epsilon-configured\">\(HTML.number(s.epsilon))</b>, used "
        out += "<b id=\"epsilon-effective\">\(HTML.number(s.effectiveEpsilon))</b> "
        out += "(law: at most <span id=\"max-epsilon\">\(HTML.number(s.laws.maxEpsilon))</span>).</p>\n"
        guard guardInfo.adminEnabled else {
            return out + "<p class=\"muted\">Admin actions are disabled: start the server with --admin-token-file.</p>"
                + "</section>\n"
        }
        let csrf = "<input type=\"hidden\" name=\"csrf_token\" value=\"\(HTML.escape(guardInfo.csrfToken))\">"
        let token =
            "<label>admin token <input type=\"password\" name=\"admin_token\" autocomplete=\"current-password\" required></label>"
        let maximum = HTML.number(s.laws.maxEpsilon, decimals: 2)
        out += "<form id=\"epsilon-form\" method=\"post\" action=\"/admin/epsilon\">\(csrf)"
        out +=
            "<label>ε <input type=\"range\" id=\"epsilon\" name=\"epsilon\" min=\"0\" max=\"\(maximum)\" step=\"0.01\" "
        out += "value=\"\(HTML.number(s.effectiveEpsilon, decimals: 2))\"></label>"
        out += "<output id=\"epsilon-value\" for=\"epsilon\">\(HTML.number(s.effectiveEpsilon, decimals: 2))</output> "
        out += "\(token) <button type=\"submit\">Set exploration rate</button></form>\n"
        out +=
            "<script>(function(){var r=document.getElementById('epsilon'),o=document.getElementById('epsilon-value');"
        out += "r.addEventListener('input',function(){o.textContent=Number(r.value).toFixed(2);});})();</script>\n"
        out += "<form id=\"run-form\" method=\"post\" action=\"/admin/run-nightly\">\(csrf)\(token) "
        out += "<button type=\"submit\">Run learning job now</button></form>\n"
        return out + "</section>\n"
    }

    func jobSection() -> String {
        var out = "<section id=\"jobs\"><h2>Learning jobs</h2>\n"
        let failed = snapshot.jobs.filter { $0.status == .failed }.count
        out += "<p class=\"muted\">\(snapshot.jobs.count) job(s), \(failed) failed, newest first. "
        out += "JSON: <a href=\"/api/jobs\">/api/jobs</a></p>\n"
        out += "<table id=\"jobs-table\"><thead><tr><th>started</th><th>completed</th><th>type</th><th>status</th>"
        out += "<th>patterns</th><th>champions updated</th><th>message</th><th>id</th></tr></thead><tbody>\n"
        for job in snapshot.jobs {
            out += "<tr class=\"job \(job.status.rawValue)\" data-job=\"\(HTML.escape(job.id))\" "
            out += "data-status=\"\(job.status.rawValue)\"><td>\(Clock.iso(job.startedAt))</td>"
            out += "<td>\(job.completedAt.map(Clock.iso) ?? "—")</td><td>\(HTML.escape(job.jobType))</td>"
            out += "<td>\(job.status.rawValue)</td><td class=\"num\">\(job.patternsDiscovered)</td>"
            out += "<td class=\"num\">\(job.championsUpdated)</td>"
            out +=
                "<td class=\"error\">\(HTML.escape(job.errorMessage ?? ""))</td><td><code>\(HTML.escape(job.id))</code></td></tr>\n"
        }
        if snapshot.jobs.isEmpty { out += "<tr><td colspan=\"8\" class=\"muted\">No learning job yet.</td></tr>\n" }
        return out + "</tbody></table></section>\n"
    }

    /// The newest events shown on the page; `/api/events` has them all.
    static let eventLimit = 200

    func eventSection() -> String {
        var out = "<section id=\"events\"><h2>Orchestrator events</h2>\n"
        out += "<p class=\"muted\">\(snapshot.events.count) event(s), newest first"
        if snapshot.events.count > Self.eventLimit { out += " (the first \(Self.eventLimit) shown)" }
        out += ". JSON: <a href=\"/api/events\">/api/events</a></p>\n"
        out += "<table id=\"events-table\"><thead><tr><th>occurred</th><th>event</th><th>persona</th><th>payload</th>"
        out += "</tr></thead><tbody>\n"
        for event in snapshot.events.prefix(Self.eventLimit) {
            out +=
                "<tr class=\"event\" data-event=\"\(HTML.escape(event.eventType))\"><td>\(Clock.iso(event.occurredAt))</td>"
            out += "<td>\(HTML.escape(event.eventType))</td><td>\(HTML.escape(event.persona ?? "—"))</td>"
            out += "<td><code>\(HTML.escape(event.payload))</code></td></tr>\n"
        }
        if snapshot.events.isEmpty { out += "<tr><td colspan=\"4\" class=\"muted\">No event yet.</td></tr>\n" }
        return out + "</tbody></table></section>\n"
    }
}
