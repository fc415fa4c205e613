import Experiments

/// The SVG charts of report.md (SPEC §4), drawn from daily.csv rows so a merged sweep draws the same charts as an
/// unsharded one. Pure: rows in, SVG text out, byte-identical for equal input.
public enum ReportCharts {
    /// How charts are drawn (`--figure-style`).
    public enum Style: String, Sendable, CaseIterable {
        /// A bold title and a grey subtitle above the plot (report.md's charts).
        case standard
        /// No title, subtitle or SVG `<title>`/`<desc>`: the figure of a paper, whose caption says what it shows.
        case plain
    }

    public struct Chart: Sendable, Equatable {
        /// The file name under `charts/`, stable across runs.
        public var file: String
        public var title: String
        public var svg: String

        public init(file: String, title: String, svg: String) {
            self.file = file
            self.title = title
            self.svg = svg
        }
    }

    /// Every chart in report order: `cumulative-regret.svg`, one `champion-correct-<persona>.svg` per persona,
    /// `activation-rate.svg` and `champion-timeline.svg`. No chart when there are no rows.
    /// `confidence` is the target drawn as a horizontal line on the champion-correct charts (time to confidence).
    /// `style` `.plain` draws them without title and subtitle (for papers); the file names and titles returned
    /// are the same.
    public static func render(
        daily: [DailyRow], configs: ConfigTable, confidence: Double = 0.95, style: Style = .standard
    ) -> [Chart] {
        guard !daily.isEmpty else { return [] }
        var data = ChartData(daily: daily, configs: configs)
        data.plain = style == .plain
        return [cumulativeRegret(data)] + championCorrect(data, confidence: confidence) + [
            activationRate(data), championTimeline(data),
        ]
    }
}
