/// A champion timeline: one lane per persona, its tall bar coloured by the champion flow of each day (hatched grey
/// when there is none) and a thin bar below it coloured by the true best flow, over a shared day axis.
struct TimelineChart {
    struct Day: Equatable {
        var day: Int
        /// nil when there is no champion that day.
        var champion: String?
        /// nil when unknown.
        var trueBest: String?
    }

    struct Lane {
        var label: String
        /// Increasing days.
        var days: [Day]
    }

    /// Consecutive days with the same value.
    struct Segment: Equatable {
        var first: Int
        var last: Int
        var value: String?
    }

    var heading: ChartHeading
    var xTitle: String
    var lanes: [Lane]
    var emptyMessage: String

    static let width = 760.0
    static let barHeight = 22.0
    static let markerGap = 3.0
    static let markerHeight = 8.0
    static let laneGap = 18.0
    static let laneLabelSize = 12.0
    static let markerLabelSize = 10.0
    static let maxLaneLabelWidth = 160.0
    static let noChampionFill = "url(#no-champion)"
    static let trueBestCaption = "true best"

    /// Every flow id shown, sorted; a flow's colour is its position here.
    var flows: [String] {
        let ids = lanes.flatMap { $0.days.flatMap { [$0.champion, $0.trueBest] } }.compactMap { $0 }.filter {
            !$0.isEmpty
        }
        return Array(Set(ids)).sorted()
    }

    static func segments(_ days: [Day], _ value: (Day) -> String?) -> [Segment] {
        var segments: [Segment] = []
        for day in days {
            let v = value(day)
            if var last = segments.last, last.last + 1 == day.day, last.value == v {
                last.last = day.day
                segments[segments.count - 1] = last
            } else {
                segments.append(Segment(first: day.day, last: day.day, value: v))
            }
        }
        return segments
    }

    var svg: String {
        let width = Self.width
        let padding = ChartHeading.padding
        let flows = self.flows
        func colour(_ flow: String) -> String { ChartPalette.fill(flows.firstIndex(of: flow) ?? 0) }

        let labels = lanes.map {
            TextMetrics.truncated($0.label, maxWidth: Self.maxLaneLabelWidth, fontSize: Self.laneLabelSize, bold: true)
        }
        let labelColumn =
            (labels.map { TextMetrics.width($0, fontSize: Self.laneLabelSize, bold: true) }
            + [TextMetrics.width(Self.trueBestCaption, fontSize: Self.markerLabelSize)]).max() ?? 0
        let plotLeft = (padding + labelColumn + 12).rounded(.up)
        let plotRight = width - padding - 8
        let plotTop = heading.bottom(width: width) + 12
        let laneHeight = Self.barHeight + Self.markerGap + Self.markerHeight + Self.laneGap
        let plotBottom = plotTop + Swift.max(Double(lanes.count), 1) * laneHeight - Self.laneGap + 8

        let allDays = lanes.flatMap { $0.days.map(\.day) }
        let firstDay = allDays.min() ?? 0
        let lastDay = allDays.max() ?? 0
        let ticks = NiceScale(
            lower: Double(firstDay), upper: Double(lastDay), maxIntervals: 10, integerSteps: true, extendToTicks: false)
        func px(_ day: Double) -> Double {
            plotLeft + (day - Double(firstDay)) / Double(lastDay + 1 - firstDay) * (plotRight - plotLeft)
        }

        let legend = ChartLegend(
            entries: flows.enumerated().map { i, flow in
                ChartLegend.Entry(swatch: .box(fill: ChartPalette.fill(i)), label: "flow " + flow)
            } + [ChartLegend.Entry(swatch: .box(fill: Self.noChampionFill), label: "no champion")])
        let legendTop = plotBottom + 50
        let legendWidth = width - plotLeft - padding
        let height = (legendTop + legend.height(width: legendWidth) + padding).rounded(.up)

        var document = SVGDocument(
            width: width, height: height, title: heading.documentTitle, description: heading.documentDescription)
        heading.draw(into: &document)
        document.open("defs")
        document.open(
            "pattern",
            [
                ("id", "no-champion"), ("patternUnits", "userSpaceOnUse"), ("width", "6"), ("height", "6"),
                ("patternTransform", "rotate(45)"),
            ])
        document.rect(x: 0, y: 0, width: 6, height: 6, fill: "#EEEEEE")
        document.line(x1: 0, y1: 0, x2: 0, y2: 6, stroke: ChartPalette.noChampion, width: 3)
        document.close()
        document.close()

        document.open("g", [("class", "grid"), ("shape-rendering", "crispEdges")])
        for tick in ticks.ticks {
            let x = px(tick + 0.5)
            document.line(x1: x, y1: plotTop - 4, x2: x, y2: plotBottom, stroke: ChartPalette.grid)
        }
        document.close()

        for (index, lane) in lanes.enumerated() {
            let top = plotTop + Double(index) * laneHeight
            let markerTop = top + Self.barHeight + Self.markerGap
            document.open("g", [("class", "lane")])
            document.text(
                labels[index], x: plotLeft - 10, y: top + Self.barHeight / 2 + 4, size: Self.laneLabelSize,
                anchor: "end",
                weight: "bold", className: "lane-label")
            document.text(
                Self.trueBestCaption, x: plotLeft - 10, y: markerTop + Self.markerHeight / 2 + 3.5,
                size: Self.markerLabelSize, anchor: "end", fill: ChartPalette.mutedInk, className: "lane-caption")
            for segment in Self.segments(lane.days, { $0.champion.flatMap { $0.isEmpty ? nil : $0 } }) {
                let x = px(Double(segment.first))
                let w = px(Double(segment.last + 1)) - x
                let fill = segment.value.map(colour) ?? Self.noChampionFill
                let days =
                    segment.first == segment.last ? "day \(segment.first)" : "days \(segment.first)–\(segment.last)"
                document.open("g", [("class", "segment")])
                if !heading.plain {
                    document.element(
                        "title", text: days + ": " + (segment.value.map { "champion " + $0 } ?? "no champion"))
                }
                document.rect(x: x, y: top, width: w, height: Self.barHeight, fill: fill)
                if let flow = segment.value, w >= TextMetrics.width(flow, fontSize: 11, bold: true) + 6 {
                    document.text(
                        flow, x: x + w / 2, y: top + Self.barHeight / 2 + 4, size: 11, anchor: "middle", weight: "bold",
                        fill: ChartPalette.textColour(on: colour(flow)), className: "segment-label")
                }
                document.close()
            }
            for segment in Self.segments(lane.days, { $0.trueBest.flatMap { $0.isEmpty ? nil : $0 } }) {
                guard let flow = segment.value else { continue }
                let x = px(Double(segment.first))
                document.open("g", [("class", "true-best")])
                if !heading.plain {
                    document.element("title", text: "true best \(flow), days \(segment.first)–\(segment.last)")
                }
                document.rect(
                    x: x, y: markerTop, width: px(Double(segment.last + 1)) - x, height: Self.markerHeight,
                    fill: colour(flow))
                document.close()
            }
            document.close()
        }

        if lanes.isEmpty {
            document.text(
                emptyMessage, x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, size: 13, anchor: "middle",
                fill: ChartPalette.mutedInk, className: "empty-message")
        }

        document.open("g", [("class", "axes")])
        document.open("g", [("class", "x-axis")])
        document.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: ChartPalette.ink)
        for (tick, label) in zip(ticks.ticks, ticks.labels) {
            let x = px(tick + 0.5)
            document.line(x1: x, y1: plotBottom, x2: x, y2: plotBottom + 5, stroke: ChartPalette.ink)
            document.text(
                label, x: x, y: plotBottom + 18, size: LineChart.tickFontSize, anchor: "middle", className: "tick-label"
            )
        }
        document.close()
        document.text(
            xTitle, x: (plotLeft + plotRight) / 2, y: plotBottom + 38, size: LineChart.axisTitleSize, anchor: "middle",
            className: "axis-title")
        document.close()
        legend.draw(into: &document, left: plotLeft, top: legendTop, width: legendWidth)
        return document.text
    }
}
