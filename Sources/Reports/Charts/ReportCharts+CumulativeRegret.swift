import Experiments
import Stochastics

extension ReportCharts {
    static let cumulativeRegretFile = "cumulative-regret.svg"

    /// Per configuration and day, the mean over replicates of the cumulative regret summed over personas, with a 95%
    /// Student t interval (`Intervals.tMean`; a zero-width one for a single replicate) cut at 0 from below.
    static func cumulativeRegretSeries(_ data: ChartData) -> [LineChart.Series] {
        data.configNames.map { name in
            var totals: [Int: [Int: Double]] = [:]  // day → replicate → regret summed over personas
            for row in data.rows(config: name) {
                totals[row.day, default: [:]][row.replicate, default: 0] += row.cumulativeRegret
            }
            let points = totals.sorted { $0.key < $1.key }.map { day, byReplicate -> LineChart.Point in
                let values = byReplicate.sorted { $0.key < $1.key }.map(\.value)
                guard let estimate = try? Intervals.tMean(values) else {
                    return LineChart.Point(x: Double(day), y: nil)
                }
                // Regret is never negative, so neither is its mean: the band is cut at 0 (the interval intersected
                // with the parameter space) when every replicate's regret is ≥ 0.
                let floor = values.allSatisfy { $0 >= 0 } ? 0 : -Double.infinity
                return LineChart.Point(
                    x: Double(day), y: estimate.mean, lower: Swift.max(estimate.interval.lower, floor),
                    upper: estimate.interval.upper)
            }
            return LineChart.Series(label: data.label(name), points: points)
        }
    }

    /// Cumulative regret per configuration, with shaded 95% t bands.
    static func cumulativeRegret(_ data: ChartData) -> Chart {
        let series = cumulativeRegretSeries(data)
        let title = "Cumulative regret by configuration"
        let band =
            data.replicates.count < 2
            ? "one replicate, so no interval"
            : LineChart.drawsBands(seriesCount: series.count)
                ? "band: 95% t interval of the mean"
                : "95% bands left out above \(LineChart.maxBandedSeries) configurations"
        let chart = LineChart(
            heading: ChartHeading(
                title: title,
                subtitle: "Expected win score lost against always showing the true best flow, summed over personas; "
                    + "line: mean over \(data.replicateCount); \(band).", plain: data.plain),
            xTitle: "Day", yTitle: "Cumulative regret (win-score units)", yDomain: .fromZero, series: series,
            emptyMessage: "No regret recorded")
        return Chart(file: cumulativeRegretFile, title: title, svg: chart.svg)
    }
}
