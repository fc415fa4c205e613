extension ReportCharts {
    /// One signup day of an engine database's activation trend (`getActivationTrendData`).
    public struct DailyRate: Sendable, Equatable {
        /// The day's position on the x-axis, e.g. −89…0 for "days before today".
        public var day: Int
        /// Share of the day's signups activated within 7 days; nil for a day without signups (a break in the line).
        public var rate: Double?
        /// The rate's interval (e.g. Wilson 95%), drawn as a band.
        public var lower: Double?
        public var upper: Double?

        public init(day: Int, rate: Double?, lower: Double? = nil, upper: Double? = nil) {
            self.day = day
            self.rate = rate
            self.lower = lower
            self.upper = upper
        }
    }

    /// The activation trend of an engine database as one line with its interval band: the line chart of
    /// report.md's activation-rate chart, for the dashboard. Pure: equal input gives byte-identical SVG.
    ///
    /// - Parameters:
    ///   - points: days in increasing order.
    ///   - subtitle: what the days and the band are (e.g. the dates covered).
    ///   - xTitle: the x-axis title.
    public static func engineActivationTrend(points: [DailyRate], subtitle: String, xTitle: String) -> String {
        let series = LineChart.Series(
            label: "7-day activation rate (band: Wilson 95%)",
            points: points.map { LineChart.Point(x: Double($0.day), y: $0.rate, lower: $0.lower, upper: $0.upper) })
        let chart = LineChart(
            heading: ChartHeading(title: "Activation trend", subtitle: subtitle), xTitle: xTitle,
            yTitle: "7-day activation rate", yDomain: .tight(minimumSpan: 0.1, within: 0...1), series: [series],
            emptyMessage: "No signups in these days")
        return chart.svg
    }
}
