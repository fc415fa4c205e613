/// A line chart over days: one coloured line per series with an optional shaded interval band, axes with round
/// ticks and titles, and the legend in rows below the plot so it never covers data.
///
/// A `nil` value breaks its line; a value standing alone between breaks is drawn as a dot (with an error bar when
/// it has an interval), so a single day still shows.
struct LineChart {
    struct Point: Equatable {
        var x: Double
        var y: Double?
        var lower: Double? = nil
        var upper: Double? = nil

        var hasBand: Bool {
            guard let lower, let upper, lower.isFinite, upper.isFinite else { return false }
            return upper - lower > 1e-12
        }
    }

    struct Series {
        var label: String
        var points: [Point]

        /// Runs of consecutive points that have a value.
        var runs: [[Point]] {
            var runs: [[Point]] = []
            var current: [Point] = []
            for point in points {
                if let y = point.y, y.isFinite, point.x.isFinite {
                    current.append(point)
                } else if !current.isEmpty {
                    runs.append(current)
                    current = []
                }
            }
            if !current.isEmpty { runs.append(current) }
            return runs
        }

        var hasBand: Bool { points.contains { $0.y != nil && $0.hasBand } }
    }

    enum YDomain: Equatable {
        /// 0 to 1 (probabilities).
        case unitInterval
        /// From 0 (or the minimum when negative) to the rounded-up maximum.
        case fromZero
        /// Around the data, at least `minimumSpan` wide, kept inside `within`.
        case tight(minimumSpan: Double, within: ClosedRange<Double>)
    }

    var heading: ChartHeading
    var xTitle: String
    var yTitle: String
    var yDomain: YDomain
    var series: [Series]
    /// Shown in the plot area when no series has a value.
    var emptyMessage: String
    /// Horizontal lines across the plot (e.g. the confidence target of P(champion correct)), labelled at the right.
    var referenceLines: [(y: Double, label: String)] = []

    static let width = 760.0
    static let plotHeight = 300.0
    static let bandOpacity = 0.15
    static let tickFontSize = 11.0
    static let axisTitleSize = 12.0
    static let lineWidth = 2.0
    /// With more series than this the bands would hide one another, so none is drawn.
    static let maxBandedSeries = 4

    /// Whether a chart of `count` series draws interval bands.
    static func drawsBands(seriesCount count: Int) -> Bool { count <= maxBandedSeries }

    var drawsBands: Bool { Self.drawsBands(seriesCount: series.count) }

    var xScale: NiceScale {
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        return NiceScale(
            lower: xs.min() ?? 0, upper: xs.max() ?? 1, maxIntervals: 10, integerSteps: true, extendToTicks: false)
    }

    var yScale: NiceScale {
        let values = series.flatMap { s in
            s.points.flatMap { p -> [Double] in
                guard let y = p.y else { return [] }
                return [y] + (drawsBands && p.hasBand ? [p.lower ?? y, p.upper ?? y] : [])
            }
        }.filter(\.isFinite)
        switch yDomain {
        case .unitInterval:
            return NiceScale(lower: 0, upper: 1, maxIntervals: 5)
        case .fromZero:
            let lower = Swift.min(0, values.min() ?? 0)
            var upper = Swift.max(0, values.max() ?? 0)
            if upper - lower <= 0 { upper = lower + 1 }
            return NiceScale(lower: lower, upper: upper, maxIntervals: 6)
        case .tight(let minimumSpan, let within):
            var lower = values.min() ?? within.lowerBound
            var upper = values.max() ?? within.upperBound
            if upper - lower < minimumSpan {
                let middle = (lower + upper) / 2
                lower = middle - minimumSpan / 2
                upper = middle + minimumSpan / 2
                if lower < within.lowerBound {
                    upper += within.lowerBound - lower
                    lower = within.lowerBound
                }
                if upper > within.upperBound {
                    lower -= upper - within.upperBound
                    upper = within.upperBound
                }
                lower = Swift.max(lower, within.lowerBound)
            }
            return NiceScale(lower: lower, upper: upper, maxIntervals: 6)
        }
    }

    var svg: String {
        let width = Self.width
        let padding = ChartHeading.padding
        let xs = xScale
        let ys = yScale
        let widestTick = ys.labels.map { TextMetrics.width($0, fontSize: Self.tickFontSize) }.max() ?? 0
        let plotLeft = (padding + 16 + 10 + widestTick + 9).rounded(.up)
        let lastXLabel = xs.labels.last.map { TextMetrics.width($0, fontSize: Self.tickFontSize) / 2 } ?? 0
        let plotRight = width - Swift.max(padding + 8, lastXLabel + padding)
        let plotTop = heading.bottom(width: width) + 10
        let plotBottom = plotTop + Self.plotHeight
        let legend = ChartLegend(
            entries: series.enumerated().map { i, s in
                let style = ChartPalette.style(i)
                return ChartLegend.Entry(
                    swatch: .line(colour: style.colour, dash: style.dash, band: drawsBands && s.hasBand), label: s.label
                )
            })
        let legendTop = plotBottom + 56
        let legendWidth = width - plotLeft - padding
        let height = (legendTop + legend.height(width: legendWidth) + padding).rounded(.up)

        func px(_ x: Double) -> Double { xs.position(x, from: plotLeft, to: plotRight) }
        func py(_ y: Double) -> Double { ys.position(y, from: plotBottom, to: plotTop) }

        var document = SVGDocument(
            width: width, height: height, title: heading.documentTitle, description: heading.documentDescription)
        heading.draw(into: &document)
        document.open("defs")
        document.open("clipPath", [("id", "plot-area")])
        document.rect(
            x: plotLeft - 4, y: plotTop - 4, width: plotRight - plotLeft + 8, height: Self.plotHeight + 8,
            fill: "#000000")
        document.close()
        document.close()

        document.open("g", [("class", "grid"), ("shape-rendering", "crispEdges")])
        for tick in ys.ticks {
            document.line(x1: plotLeft, y1: py(tick), x2: plotRight, y2: py(tick), stroke: ChartPalette.grid)
        }
        document.close()

        // Axes before data, so a series lying on zero stays visible over the x-axis line.
        drawAxes(into: &document, xs: xs, ys: ys, left: plotLeft, right: plotRight, top: plotTop, bottom: plotBottom)

        document.open("g", [("class", "bands"), ("clip-path", "url(#plot-area)")])
        for (i, s) in series.enumerated() where drawsBands && s.hasBand {
            let polygons = s.runs.filter { $0.count > 1 }.map { run -> [(x: Double, y: Double)] in
                let upper = run.map { (x: px($0.x), y: py($0.upper ?? $0.y ?? 0)) }
                let lower = run.reversed().map { (x: px($0.x), y: py($0.lower ?? $0.y ?? 0)) }
                return upper + lower
            }
            guard !polygons.isEmpty else { continue }
            document.element(
                "path",
                [
                    ("class", "band"), ("d", SVGDocument.pathData(polygons, closed: true)),
                    ("fill", ChartPalette.style(i).colour),
                    ("fill-opacity", SVGNumber.compact(Self.bandOpacity)), ("stroke", "none"),
                ])
        }
        document.close()

        document.open("g", [("class", "lines"), ("clip-path", "url(#plot-area)")])
        for (i, s) in series.enumerated() {
            let style = ChartPalette.style(i)
            let runs = s.runs
            let lines = runs.filter { $0.count > 1 }.map { run in run.map { (x: px($0.x), y: py($0.y ?? 0)) } }
            var attributes: SVGDocument.Attributes = [
                ("class", "series"), ("d", SVGDocument.pathData(lines)), ("fill", "none"), ("stroke", style.colour),
                ("stroke-width", SVGNumber.compact(Self.lineWidth)), ("stroke-linejoin", "round"),
                ("stroke-linecap", "round"),
            ]
            if let dash = style.dash { attributes.append(("stroke-dasharray", dash)) }
            document.element("path", attributes)
            for run in runs where run.count == 1 {
                let point = run[0]
                let x = px(point.x)
                if drawsBands, point.hasBand, let lower = point.lower, let upper = point.upper {
                    document.line(x1: x, y1: py(lower), x2: x, y2: py(upper), stroke: style.colour, width: 1.5)
                    document.line(x1: x - 4, y1: py(lower), x2: x + 4, y2: py(lower), stroke: style.colour, width: 1.5)
                    document.line(x1: x - 4, y1: py(upper), x2: x + 4, y2: py(upper), stroke: style.colour, width: 1.5)
                }
                document.element(
                    "circle",
                    [
                        ("class", "point"), ("cx", SVGDocument.number(x)), ("cy", SVGDocument.number(py(point.y ?? 0))),
                        ("r", "3.5"), ("fill", style.colour),
                    ])
            }
        }
        document.close()

        if !referenceLines.isEmpty {
            document.open("g", [("class", "reference-lines")])
            for line in referenceLines where line.y.isFinite {
                let y = py(line.y)
                document.element(
                    "path",
                    [
                        ("class", "reference-line"),
                        ("d", SVGDocument.pathData([[(x: plotLeft, y: y), (x: plotRight, y: y)]])),
                        ("fill", "none"), ("stroke", ChartPalette.mutedInk), ("stroke-width", "1"),
                        ("stroke-dasharray", "6 4"),
                    ])
                document.text(
                    line.label, x: plotRight - 4, y: y - 5, size: Self.tickFontSize, anchor: "end",
                    fill: ChartPalette.mutedInk, className: "reference-label")
            }
            document.close()
        }

        if !series.contains(where: { !$0.runs.isEmpty }) {
            document.text(
                emptyMessage, x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, size: 13, anchor: "middle",
                fill: ChartPalette.mutedInk, className: "empty-message")
        }

        legend.draw(into: &document, left: plotLeft, top: legendTop, width: legendWidth)
        return document.text
    }

    private func drawAxes(
        into document: inout SVGDocument, xs: NiceScale, ys: NiceScale, left: Double, right: Double, top: Double,
        bottom: Double
    ) {
        document.open("g", [("class", "axes")])
        document.open("g", [("class", "y-axis")])
        document.line(x1: left, y1: top, x2: left, y2: bottom, stroke: ChartPalette.ink)
        for (tick, label) in zip(ys.ticks, ys.labels) {
            let y = ys.position(tick, from: bottom, to: top)
            document.line(x1: left - 5, y1: y, x2: left, y2: y, stroke: ChartPalette.ink)
            document.text(label, x: left - 8, y: y + 4, size: Self.tickFontSize, anchor: "end", className: "tick-label")
        }
        document.close()
        document.open("g", [("class", "x-axis")])
        document.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: ChartPalette.ink)
        for (tick, label) in zip(xs.ticks, xs.labels) {
            let x = xs.position(tick, from: left, to: right)
            document.line(x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: ChartPalette.ink)
            document.text(
                label, x: x, y: bottom + 18, size: Self.tickFontSize, anchor: "middle", className: "tick-label")
        }
        document.close()
        document.text(
            TextMetrics.truncated(xTitle, maxWidth: right - left, fontSize: Self.axisTitleSize), x: (left + right) / 2,
            y: bottom + 38, size: Self.axisTitleSize, anchor: "middle", className: "axis-title")
        document.text(
            TextMetrics.truncated(yTitle, maxWidth: bottom - top, fontSize: Self.axisTitleSize),
            x: ChartHeading.padding + 12,
            y: (top + bottom) / 2, size: Self.axisTitleSize, anchor: "middle", rotate: true, className: "axis-title")
        document.close()
    }
}
