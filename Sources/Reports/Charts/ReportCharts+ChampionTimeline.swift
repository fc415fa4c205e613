import Experiments

extension ReportCharts {
    static let championTimelineFile = "champion-timeline.svg"

    /// The champion of each day in one replicate (0, or the first present) of the baseline configuration, one lane
    /// per persona, with the true best flow beneath.
    static func championTimeline(_ data: ChartData) -> Chart {
        let config = data.timelineConfig ?? data.configs.baseline
        let rows = data.rows(config: config)
        let replicate = rows.contains { $0.replicate == 0 } ? 0 : rows.map(\.replicate).min() ?? 0
        let lanes = data.personas.map { persona in
            var days: [Int: TimelineChart.Day] = [:]
            for row in rows where row.replicate == replicate && row.persona == persona && days[row.day] == nil {
                days[row.day] = TimelineChart.Day(
                    day: row.day, champion: row.championFlow.isEmpty ? nil : row.championFlow,
                    trueBest: row.trueBestFlow.isEmpty ? nil : row.trueBestFlow)
            }
            return TimelineChart.Lane(label: persona, days: days.sorted { $0.key < $1.key }.map(\.value))
        }.filter { !$0.days.isEmpty }
        let title = "Champion timeline: replicate \(replicate) of \(config)"
        let chart = TimelineChart(
            heading: ChartHeading(
                title: title,
                subtitle: "Configuration \(data.configs.label(config)). Tall bar: the champion after each night's job "
                    + "(hatched: none); thin bar: the true best flow.", plain: data.plain),
            xTitle: "Day", lanes: lanes, emptyMessage: "No days recorded")
        return Chart(file: championTimelineFile, title: title, svg: chart.svg)
    }
}
