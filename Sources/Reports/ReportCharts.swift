import Experiments

/// The SVG charts of report.md. (Filled in by the charts work; an empty list writes no chart.)
public enum ReportCharts {
    public struct Chart: Sendable {
        public var file: String
        public var title: String
        public var svg: String
    }

    public static func render(daily: [DailyRow], configs: ConfigTable) -> [Chart] { [] }
}
