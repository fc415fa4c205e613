/// A legend laid out in rows below a plot, in equal columns that wrap; a label wider than the legend is cut with "…".
struct ChartLegend {
    enum Swatch {
        /// A line sample, over a light band sample when the series has an interval band.
        case line(colour: String, dash: String?, band: Bool)
        /// A filled square (a colour or a pattern reference such as `url(#id)`).
        case box(fill: String)
    }

    struct Entry {
        var swatch: Swatch
        var label: String
    }

    struct Placement {
        var entry: Entry
        var text: String
        var x: Double
        var row: Int
    }

    var entries: [Entry]

    static let fontSize = 12.0
    static let rowHeight = 20.0
    static let swatchWidth = 26.0
    static let labelGap = 6.0
    static let entrySpacing = 22.0

    /// Where each entry goes within `width`, relative to the legend's top left corner: a grid of equal columns as
    /// wide as the widest entry, filled row by row.
    func layout(width: Double) -> [Placement] {
        let labelLimit = Swift.max(40, width - Self.swatchWidth - Self.labelGap)
        let texts = entries.map { TextMetrics.truncated($0.label, maxWidth: labelLimit, fontSize: Self.fontSize) }
        let widest =
            texts.map { Self.swatchWidth + Self.labelGap + TextMetrics.width($0, fontSize: Self.fontSize) }.max() ?? 0
        let columnWidth = widest + Self.entrySpacing
        let columns = Swift.max(1, Int((width + Self.entrySpacing) / columnWidth))
        return zip(entries, texts).enumerated().map { i, pair in
            Placement(entry: pair.0, text: pair.1, x: Double(i % columns) * columnWidth, row: i / columns)
        }
    }

    func height(width: Double) -> Double {
        entries.isEmpty ? 0 : Double((layout(width: width).last?.row ?? 0) + 1) * Self.rowHeight
    }

    func draw(into document: inout SVGDocument, left: Double, top: Double, width: Double) {
        guard !entries.isEmpty else { return }
        document.open("g", [("class", "legend")])
        for placement in layout(width: width) {
            let x = left + placement.x
            let middle = top + Double(placement.row) * Self.rowHeight + Self.rowHeight / 2
            document.open("g", [("class", "legend-entry")])
            if placement.text != placement.entry.label { document.element("title", text: placement.entry.label) }
            switch placement.entry.swatch {
            case .line(let colour, let dash, let band):
                if band {
                    document.rect(
                        x: x, y: middle - 6, width: Self.swatchWidth, height: 12, fill: colour,
                        extra: [("fill-opacity", SVGNumber.compact(LineChart.bandOpacity))])
                }
                document.line(
                    x1: x, y1: middle, x2: x + Self.swatchWidth, y2: middle, stroke: colour, width: 2.5, dash: dash)
            case .box(let fill):
                document.rect(
                    x: x + (Self.swatchWidth - 14) / 2, y: middle - 7, width: 14, height: 14, fill: fill,
                    stroke: "#666666")
            }
            document.text(
                placement.text, x: x + Self.swatchWidth + Self.labelGap, y: middle + 4, size: Self.fontSize,
                className: "legend-label")
            document.close()
        }
        document.close()
    }
}
