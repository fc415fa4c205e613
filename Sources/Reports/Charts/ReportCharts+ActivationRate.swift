import Experiments

extension ReportCharts {
    static let activationRateFile = "activation-rate.svg"

    /// Per configuration and signup day, the 7-day activation rate weighted by signups over personas and replicates;
    /// nil (a break in the line) where no rate is known yet (signups younger than 7 days at the horizon).
    static func activationRateSeries(_ data: ChartData) -> [LineChart.Series] {
        data.configNames.map { name in
            var sums: [Int: (activated: Double, signups: Int)] = [:]  // day → Σ rate × signups, Σ signups
            for row in data.rows(config: name) {
                var current = sums[row.day] ?? (0, 0)
                if let rate = row.activationRate, rate.isFinite, row.signups > 0 {
                    current = (current.activated + rate * Double(row.signups), current.signups + row.signups)
                }
                sums[row.day] = current
            }
            let points = sums.sorted { $0.key < $1.key }.map { day, sum in
                LineChart.Point(x: Double(day), y: sum.signups > 0 ? sum.activated / Double(sum.signups) : nil)
            }
            return LineChart.Series(label: data.label(name), points: points)
        }
    }

    /// Activation rate by signup day per configuration.
    static func activationRate(_ data: ChartData) -> Chart {
        let series = activationRateSeries(data)
        let title = "Activation rate by signup day"
        let chart = LineChart(
            heading: ChartHeading(
                title: title,
                subtitle: "Share of each day's signups activated within 7 days, weighted by signups over personas and "
                    + "\(data.replicateCount); the last 7 days are not known yet.", plain: data.plain),
            xTitle: "Signup day", yTitle: "7-day activation rate", yDomain: .tight(minimumSpan: 0.1, within: 0...1),
            series: series, emptyMessage: "No activation rate known yet (signups need 7 days)")
        return Chart(file: activationRateFile, title: title, svg: chart.svg)
    }
}
