import Experiments
import Stochastics

extension ReportCharts {
    /// `champion-correct-<persona>.svg`.
    static func championCorrectFile(slug: String) -> String { "champion-correct-\(slug).svg" }

    /// Per configuration and day, the share of replicates whose champion for `persona` is the true best flow, with a
    /// 95% Wilson score interval (`Intervals.wilson`).
    static func championCorrectSeries(_ data: ChartData, persona: String) -> [LineChart.Series] {
        data.configNames.map { name in
            var counts: [Int: (successes: Int, trials: Int)] = [:]  // day → replicates correct, replicates
            for row in data.rows(config: name) where row.persona == persona {
                let current = counts[row.day] ?? (0, 0)
                counts[row.day] = (current.successes + (row.championCorrect ? 1 : 0), current.trials + 1)
            }
            let points = counts.sorted { $0.key < $1.key }.map { day, count -> LineChart.Point in
                let share = Double(count.successes) / Double(count.trials)
                guard let interval = try? Intervals.wilson(successes: count.successes, trials: count.trials) else {
                    return LineChart.Point(x: Double(day), y: share)
                }
                return LineChart.Point(x: Double(day), y: share, lower: interval.lower, upper: interval.upper)
            }
            return LineChart.Series(label: data.label(name), points: points)
        }
    }

    /// P(champion is the true best) by day, one chart per persona.
    static func championCorrect(_ data: ChartData, confidence: Double) -> [Chart] {
        zip(data.personas, data.personaSlugs).map { persona, slug in
            let series = championCorrectSeries(data, persona: persona)
            let title = "P(champion is the true best) by day: \(persona)"
            let band =
                LineChart.drawsBands(seriesCount: series.count)
                ? "band: 95% Wilson interval" : "95% bands left out above \(LineChart.maxBandedSeries) configurations"
            let chart = LineChart(
                heading: ChartHeading(
                    title: title,
                    subtitle:
                        "Share of \(data.replicateCount) whose champion after the night's job is the true best flow "
                        + "for \(persona); \(band).", plain: data.plain),
                xTitle: "Day", yTitle: "P(champion correct)", yDomain: .unitInterval, series: series,
                emptyMessage: "No days recorded",
                referenceLines: [(confidence, "target \(Format.percent(confidence))")])
            return Chart(file: championCorrectFile(slug: slug), title: title, svg: chart.svg)
        }
    }
}
