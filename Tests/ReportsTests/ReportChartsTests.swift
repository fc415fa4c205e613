import Experiments
import Testing

@testable import Reports

/// The charts of a typical sweep: three configurations, four replicates, 30 days, two personas.
@Suite struct ReportChartsTests {
    static let configNames = ["c0", "c1", "c2"]
    static let configs = DailyRowFactory.configTable(configNames)
    static let daily = DailyRowFactory.rows(configs: configNames, replicates: 4, days: 30)

    var charts: [ReportCharts.Chart] {
        let charts = ReportCharts.render(daily: Self.daily, configs: Self.configs)
        ChartDump.write(charts, case: "typical")
        return charts
    }

    func chart(_ file: String) throws -> SVGTree {
        let chart = try #require(charts.first { $0.file == file }, "no chart \(file)")
        return try SVGTree(chart.svg)
    }

    @Test func fileNamesAndOrderAreStable() {
        #expect(
            charts.map(\.file) == [
                "cumulative-regret.svg", "champion-correct-mlm_newbie.svg", "champion-correct-agency_owner.svg",
                "activation-rate.svg", "champion-timeline.svg",
            ])
        #expect(charts.allSatisfy { !$0.title.isEmpty })
    }

    @Test func everyChartIsWellFormedSVGOfTheSameWidth() throws {
        for chart in charts {
            let tree = try SVGTree(chart.svg)
            #expect(tree.root?.name == "svg", "\(chart.file)")
            #expect(tree.root?.attributes["xmlns"] == "http://www.w3.org/2000/svg", "\(chart.file)")
            #expect(tree.root?.attributes["width"] == "760", "\(chart.file)")
            #expect(tree.root?.attributes["font-family"]?.hasSuffix("sans-serif") == true, "\(chart.file)")
            #expect(tree.elements(named: "title").first?.text == chart.title, "\(chart.file)")
            #expect(tree.texts(class: "chart-title") == [chart.title], "\(chart.file)")
        }
    }

    /// The plain style (papers): same files and titles, no title, subtitle, `<title>` or `<desc>` in any SVG, the
    /// same series and axes, and the plot starts higher (no heading above it).
    @Test func plainStyleDropsTitlesAndKeepsTheData() throws {
        let plain = ReportCharts.render(daily: Self.daily, configs: Self.configs, style: .plain)
        #expect(plain.map(\.file) == charts.map(\.file))
        #expect(plain.map(\.title) == charts.map(\.title))
        for (standard, bare) in zip(charts, plain) {
            let tree = try SVGTree(bare.svg)
            let full = try SVGTree(standard.svg)
            #expect(tree.elements(named: "title").isEmpty, "\(bare.file)")
            #expect(tree.elements(named: "desc").isEmpty, "\(bare.file)")
            #expect(tree.texts(class: "chart-title").isEmpty && tree.texts(class: "chart-subtitle").isEmpty)
            #expect(!bare.svg.contains(standard.title), "\(bare.file) still shows its title")
            #expect(tree.elements(class: "series").count == full.elements(class: "series").count)
            #expect(tree.texts(class: "axis-title") == full.texts(class: "axis-title"))
            let height = { (t: SVGTree) in Double(t.root?.attributes["height"] ?? "") ?? 0 }
            #expect(height(tree) < height(full), "\(bare.file): the heading's space is not reclaimed")
        }
    }

    @Test func renderingIsDeterministic() {
        let first = ReportCharts.render(daily: Self.daily, configs: Self.configs)
        let second = ReportCharts.render(daily: Self.daily, configs: Self.configs)
        #expect(first == second)
    }

    @Test func cumulativeRegretHasOneBandedSeriesPerConfig() throws {
        let tree = try chart("cumulative-regret.svg")
        #expect(tree.elements(class: "series").count == 3)
        #expect(tree.elements(class: "band").count == 3)
        #expect(tree.elements(class: "legend-entry").count == 3)
        #expect(
            tree.texts(class: "legend-label") == [
                "engine.epsilon=0.0 (baseline)", "engine.epsilon=0.05", "engine.epsilon=0.1",
            ])
        #expect(tree.texts(class: "axis-title") == ["Day", "Cumulative regret (win-score units)"])
        let ticks = tree.texts(class: "tick-label")
        #expect(ticks.contains("0") && ticks.contains("20"))
        // Each series' path has one subpath over the 30 days.
        let d = try #require(tree.elements(class: "series").first?.attributes["d"])
        #expect(d.split(separator: "M").count == 1 && d.split(separator: "L").count == 30)
    }

    @Test func regretPointsAreMeansWithTIntervals() throws {
        // c0, day 0: regret summed over the two personas, 1 + ((7r + p) mod 5)/10 each, for replicates r = 0…3:
        // totals 2.1, 2.5, 2.4, 2.3 → mean 2.325; sample sd 0.17078; t(0.975, 3) = 3.182446 → half-width 0.27175.
        let data = ChartData(daily: Self.daily, configs: Self.configs)
        let series = ReportCharts.cumulativeRegretSeries(data)
        #expect(series.count == 3)
        let point = try #require(series[0].points.first)
        let y = try #require(point.y)
        #expect(abs(y - 2.325) < 1e-12)
        let lower = try #require(point.lower)
        let upper = try #require(point.upper)
        #expect(abs((upper - lower) / 2 - 0.27175) < 1e-4, "half-width \((upper - lower) / 2)")
        #expect(series[0].points.map(\.x) == (0..<30).map(Double.init))
    }

    @Test func regretBandsStopAtZero() throws {
        // Two replicates give t(0.975, 1) = 12.7: the raw interval reaches far below 0 on early days.
        let daily = DailyRowFactory.rows(configs: ["c0"], replicates: 2, days: 10)
        let data = ChartData(daily: daily, configs: DailyRowFactory.configTable(["c0"]))
        let points = ReportCharts.cumulativeRegretSeries(data)[0].points
        #expect(points.allSatisfy { ($0.lower ?? -1) >= 0 })
        #expect(points.contains { $0.lower == 0 })
        let tree = try SVGTree(ReportCharts.cumulativeRegret(data).svg)
        #expect(!tree.texts(class: "tick-label").contains { $0.hasPrefix("-") })
    }

    @Test func championCorrectPointsAreSharesWithWilsonIntervals() throws {
        // c1 is correct from day 5 + (r mod 3): on day 5 replicates 0 and 3 are correct, 1 and 2 not → 2 of 4.
        // Wilson 95% for 2/4 (z = 1.959964): centre 0.5, half-width 0.34996 → [0.15004, 0.84996].
        let data = ChartData(daily: Self.daily, configs: Self.configs)
        let series = ReportCharts.championCorrectSeries(data, persona: "mlm_newbie")
        let point = try #require(series[1].points.first { $0.x == 5 })
        #expect(point.y == 0.5)
        #expect(abs((point.lower ?? -1) - 0.15004) < 1e-4 && abs((point.upper ?? -1) - 0.84996) < 1e-4)
    }

    @Test func activationPointsAreSignupWeighted() throws {
        // c0, day 0, replicate r: mlm_newbie (40 signups) and agency_owner (50) both at 0.6 + (r mod 7)/100.
        // Over r = 0…3 the weighted mean is 0.6 + 0.015 = 0.615; day 29 is unknown.
        let data = ChartData(daily: Self.daily, configs: Self.configs)
        let series = ReportCharts.activationRateSeries(data)
        let first = try #require(series[0].points.first?.y)
        #expect(abs(first - 0.615) < 1e-12)
        #expect(series[0].points.last?.y == nil)
    }

    @Test func championCorrectIsAProbabilityPerPersona() throws {
        for persona in ["mlm_newbie", "agency_owner"] {
            let tree = try chart("champion-correct-\(persona).svg")
            #expect(tree.elements(class: "series").count == 3)
            #expect(tree.elements(class: "band").count == 3)
            #expect(tree.elements(class: "legend-entry").count == 3)
            #expect(tree.texts(class: "axis-title") == ["Day", "P(champion correct)"])
            let ticks = tree.texts(class: "tick-label")
            #expect(Array(ticks.prefix(6)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
            #expect(tree.texts(class: "chart-title").first?.hasSuffix(persona) == true)
        }
    }

    @Test func activationBreaksWhereUnknown() throws {
        let tree = try chart("activation-rate.svg")
        #expect(tree.elements(class: "series").count == 3)
        #expect(tree.elements(class: "band").isEmpty)
        #expect(tree.elements(class: "legend-entry").count == 3)
        #expect(tree.texts(class: "axis-title") == ["Signup day", "7-day activation rate"])
        // Days 0…22 known (30 days, last 7 unknown): 23 points, one run.
        let d = try #require(tree.elements(class: "series").first?.attributes["d"])
        #expect(d.split(separator: "L").count == 23)
        // Tight range: rates 0.60…0.66 on ticks of 0.02.
        #expect(tree.texts(class: "tick-label").contains("0.62"))
    }

    @Test func timelineHasALanePerPersonaAndALegendPerFlow() throws {
        let tree = try chart("champion-timeline.svg")
        #expect(tree.elements(class: "lane").count == 2)
        #expect(tree.texts(class: "lane-label") == ["mlm_newbie", "agency_owner"])
        // Replicate 0 of c0: A on days 0–1, B day 2, D from day 3, in each lane.
        #expect(tree.elements(class: "segment").count == 6)
        #expect(tree.elements(class: "true-best").count == 2)
        #expect(tree.texts(class: "legend-label") == ["flow A", "flow B", "flow D", "no champion"])
        #expect(tree.texts(class: "axis-title") == ["Day"])
        #expect(tree.texts(class: "chart-title") == ["Champion timeline: replicate 0 of c0"])
    }

    @Test func noRowsNoCharts() {
        #expect(ReportCharts.render(daily: [], configs: Self.configs).isEmpty)
    }
}
