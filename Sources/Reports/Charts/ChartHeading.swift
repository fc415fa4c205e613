/// The heading every chart starts with: a bold title and a grey subtitle wrapped to two lines; none at all in the
/// plain style (`--figure-style plain`, for papers, whose captions carry the title), which also leaves out the
/// document's `<title>`, `<desc>` and tooltip titles.
struct ChartHeading {
    var title: String
    var subtitle: String
    var plain = false

    static let padding = 16.0
    static let titleSize = 16.0
    static let subtitleSize = 12.0

    func titleLine(width: Double) -> String {
        TextMetrics.truncated(title, maxWidth: width - 2 * Self.padding, fontSize: Self.titleSize, bold: true)
    }

    func subtitleLines(width: Double) -> [String] {
        subtitle.isEmpty
            ? []
            : TextMetrics.wrapped(
                subtitle, maxWidth: width - 2 * Self.padding, fontSize: Self.subtitleSize, maxLines: 2)
    }

    /// The y below the heading where the chart body may start.
    func bottom(width: Double) -> Double {
        plain ? Self.padding : 38 + Double(subtitleLines(width: width).count) * 16
    }

    /// The document's `<title>` (nil in the plain style).
    var documentTitle: String? { plain ? nil : title }

    /// The document's `<desc>` (empty, so absent, in the plain style).
    var documentDescription: String { plain ? "" : subtitle }

    func draw(into document: inout SVGDocument) {
        guard !plain else { return }
        document.open("g", [("class", "heading")])
        document.text(
            titleLine(width: document.width), x: Self.padding, y: 26, size: Self.titleSize, weight: "bold",
            className: "chart-title")
        for (i, line) in subtitleLines(width: document.width).enumerated() {
            document.text(
                line, x: Self.padding, y: 46 + Double(i) * 16, size: Self.subtitleSize, fill: ChartPalette.mutedInk,
                className: "chart-subtitle")
        }
        document.close()
    }
}
