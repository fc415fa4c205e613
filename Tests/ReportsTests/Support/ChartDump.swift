import Foundation
import Reports

/// Writes rendered charts to `$REPORTS_CHART_DUMP/<case>/` when that variable is set, to rasterize and look at them
/// (`rsvg-convert -o x.png x.svg`); does nothing otherwise.
enum ChartDump {
    static func write(_ charts: [ReportCharts.Chart], case name: String) {
        guard let root = ProcessInfo.processInfo.environment["REPORTS_CHART_DUMP"], !root.isEmpty else { return }
        let folder = URL(fileURLWithPath: root).appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for chart in charts {
            try? chart.svg.write(to: folder.appendingPathComponent(chart.file), atomically: true, encoding: .utf8)
        }
    }
}
