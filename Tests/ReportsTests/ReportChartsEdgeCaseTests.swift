import Experiments
import Testing

@testable import Reports

/// Inputs at the edges: each still renders every chart as valid SVG, with the documented fallback.
@Suite struct ReportChartsEdgeCaseTests {
    func render(_ daily: [DailyRow], _ configs: ConfigTable, case name: String) throws -> [String: SVGTree] {
        let charts = ReportCharts.render(daily: daily, configs: configs)
        ChartDump.write(charts, case: name)
        var trees: [String: SVGTree] = [:]
        for chart in charts {
            trees[chart.file] = try SVGTree(chart.svg)
            #expect(ReportCharts.render(daily: daily, configs: configs) == charts, "not deterministic: \(name)")
        }
        #expect(trees.count == charts.count, "duplicate file names in \(name)")
        return trees
    }

    @Test func oneConfigurationIsNotMarkedBaseline() throws {
        let trees = try render(
            DailyRowFactory.rows(configs: ["only"], replicates: 3, days: 20), DailyRowFactory.configTable(["only"]),
            case: "one-config")
        let regret = try #require(trees["cumulative-regret.svg"])
        #expect(regret.elements(class: "series").count == 1)
        #expect(regret.texts(class: "legend-label") == ["engine.epsilon=0.0"])
    }

    @Test func oneReplicateDrawsNoBand() throws {
        let trees = try render(
            DailyRowFactory.rows(configs: ["c0", "c1"], replicates: 1, days: 20),
            DailyRowFactory.configTable(["c0", "c1"]),
            case: "one-replicate")
        let regret = try #require(trees["cumulative-regret.svg"])
        #expect(regret.elements(class: "series").count == 2)
        #expect(regret.elements(class: "band").isEmpty)
        #expect(regret.texts(class: "chart-subtitle").joined(separator: " ").contains("one replicate"))
        // Wilson intervals are wide even for one replicate, so those bands stay.
        #expect(trees["champion-correct-mlm_newbie.svg"]?.elements(class: "band").count == 2)
    }

    @Test func singleDayIsDrawnAsPoints() throws {
        let trees = try render(
            DailyRowFactory.rows(configs: ["c0", "c1"], replicates: 3, days: 1),
            DailyRowFactory.configTable(["c0", "c1"]),
            case: "single-day")
        let regret = try #require(trees["cumulative-regret.svg"])
        #expect(regret.elements(class: "point").count == 2)
        #expect(regret.elements(class: "series").count == 2)
        #expect(regret.texts(class: "tick-label").filter { $0 == "0" }.count == 2)  // y = 0 and day 0
        // One day is younger than 7 days at the horizon: no activation rate is known.
        let activation = try #require(trees["activation-rate.svg"])
        #expect(activation.texts(class: "empty-message") == ["No activation rate known yet (signups need 7 days)"])
        #expect(activation.elements(class: "legend-entry").count == 2)
        #expect(trees["champion-timeline.svg"]?.elements(class: "segment").count == 2)
    }

    @Test func allZeroValuesKeepAUnitAxis() throws {
        let trees = try render(
            DailyRowFactory.rows(configs: ["c0"], replicates: 2, days: 10, zero: true),
            DailyRowFactory.configTable(["c0"]),
            case: "all-zero")
        let regret = try #require(trees["cumulative-regret.svg"])
        let ticks = regret.texts(class: "tick-label")
        #expect(ticks.contains("0.0") && ticks.contains("1.0"))
        #expect(regret.elements(class: "band").isEmpty)
        #expect(trees["activation-rate.svg"]?.texts(class: "empty-message").count == 1)
    }

    @Test func twelveConfigurationsWrapTheLegendAndDropBands() throws {
        let names = (0..<12).map { "c\($0)" }
        let trees = try render(
            DailyRowFactory.rows(configs: names, replicates: 3, days: 15), DailyRowFactory.configTable(names),
            case: "twelve-configs")
        for file in ["cumulative-regret.svg", "champion-correct-mlm_newbie.svg", "activation-rate.svg"] {
            let tree = try #require(trees[file])
            #expect(tree.elements(class: "series").count == 12, "\(file)")
            #expect(tree.elements(class: "legend-entry").count == 12, "\(file)")
            #expect(tree.elements(class: "band").isEmpty, "\(file)")
            // Legend rows: the label baselines take more than one distinct y, all below the plot's x-axis title.
            let rows = Set(tree.elements(class: "legend-label").compactMap { $0.attributes["y"] })
            #expect(rows.count > 1, "\(file)")
            let axisTitleY = try #require(
                tree.elements(class: "axis-title").first?.attributes["y"].flatMap(Double.init))
            #expect(rows.compactMap(Double.init).allSatisfy { $0 > axisTitleY }, "\(file)")
            // Series 9–12 reuse colours with a dash pattern.
            let dashed = tree.elements(class: "series").filter { $0.attributes["stroke-dasharray"] != nil }
            #expect(dashed.count == 4, "\(file)")
        }
    }

    @Test func longLabelsAreTruncatedWithTheFullTextKept() throws {
        let long = String(repeating: "a-very-long-setting-value-", count: 8)
        let configs = DailyRowFactory.configTable(["c0", "c1"], labels: [long, "short"])
        let trees = try render(
            DailyRowFactory.rows(configs: ["c0", "c1"], replicates: 2, days: 10, personas: [long]), configs,
            case: "long-labels")
        let regret = try #require(trees["cumulative-regret.svg"])
        let labels = regret.texts(class: "legend-label")
        #expect(labels.count == 2)
        #expect(labels[0].hasSuffix("…") && labels[0].count < long.count)
        #expect(labels[1] == "engine.epsilon=short")
        #expect(regret.elements(named: "title").contains { $0.text == "engine.epsilon=\(long) (baseline)" })
        let timeline = try #require(trees["champion-timeline.svg"])
        #expect(timeline.texts(class: "lane-label").first?.hasSuffix("…") == true)
        // The persona id is long too: its chart file name is still derived from it.
        #expect(trees.keys.contains("champion-correct-\(ChartData.slug(long)).svg"))
    }

    @Test func personaWithoutChampionIsHatched() throws {
        let trees = try render(
            DailyRowFactory.rows(configs: ["c0"], replicates: 2, days: 12, noChampion: ["agency_owner"]),
            DailyRowFactory.configTable(["c0"]), case: "no-champion")
        let timeline = try #require(trees["champion-timeline.svg"])
        let hatched = timeline.elements(named: "rect").filter { $0.attributes["fill"] == "url(#no-champion)" }
        #expect(hatched.count == 2)  // one 12-day segment, plus the legend swatch
        #expect(timeline.elements(named: "pattern").first?.attributes["id"] == "no-champion")
        let correct = try #require(trees["champion-correct-agency_owner.svg"])
        #expect(correct.elements(class: "series").count == 1)
        let d = try #require(correct.elements(class: "series").first?.attributes["d"])
        #expect(!d.isEmpty)
    }

    @Test func markupInNamesIsEscaped() throws {
        let persona = "<b>&\"owner\""
        let configs = ConfigTable(paths: [], configs: [.init(name: "c<0>", values: [:])], baseline: "c<0>")
        let trees = try render(
            DailyRowFactory.rows(configs: ["c<0>"], replicates: 2, days: 9, personas: [persona]), configs,
            case: "markup")
        #expect(trees["cumulative-regret.svg"]?.texts(class: "legend-label") == ["c<0>"])
        #expect(trees["champion-correct-b-owner.svg"]?.texts(class: "chart-title").first?.hasSuffix(persona) == true)
    }

    @Test func configsMissingFromTheTableStillChartAfterListedOnes() throws {
        let daily = DailyRowFactory.rows(configs: ["extra", "c0"], replicates: 2, days: 8)
        let trees = try render(daily, DailyRowFactory.configTable(["c0", "absent"]), case: "unlisted")
        let regret = try #require(trees["cumulative-regret.svg"])
        #expect(regret.texts(class: "legend-label") == ["engine.epsilon=0.0 (baseline)", "extra"])
    }

    @Test func timelineFallsBackToTheFirstReplicatePresent() throws {
        let daily = DailyRowFactory.rows(configs: ["c0"], replicates: 3, days: 8).filter { $0.replicate != 0 }
        let trees = try render(daily, DailyRowFactory.configTable(["c0"]), case: "no-replicate-0")
        #expect(trees["champion-timeline.svg"]?.texts(class: "chart-title") == ["Champion timeline: replicate 1 of c0"])
    }
}
