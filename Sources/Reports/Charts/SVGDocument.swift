/// An SVG 1.1 document written element by element: attributes in the order given, text and attribute values
/// escaped for XML, numbers through ``SVGNumber``, so equal input gives byte-identical output.
struct SVGDocument {
    typealias Attributes = [(String, String)]

    static let fontFamily = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"

    let width: Double
    let height: Double
    private var lines: [String] = []
    private var openElements: [String] = []

    /// Starts a document with its accessible title and description and a white background.
    /// No `<title>` when `title` is nil, no `<desc>` when `description` is empty.
    init(width: Double, height: Double, title: String?, description: String) {
        self.width = width
        self.height = height
        lines.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"), ("width", Self.number(width)),
                ("height", Self.number(height)), ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
                ("font-family", Self.fontFamily), ("role", "img"),
            ])
        if let title { element("title", text: title) }
        if !description.isEmpty { element("desc", text: description) }
        element(
            "rect", [("width", Self.number(width)), ("height", Self.number(height)), ("fill", ChartPalette.background)])
    }

    /// The document text, closing every element still open.
    var text: String {
        var copy = self
        while !copy.openElements.isEmpty { copy.close() }
        return copy.lines.joined(separator: "\n") + "\n"
    }

    mutating func open(_ name: String, _ attributes: Attributes = []) {
        lines.append(indent + "<" + name + Self.attributeText(attributes) + ">")
        openElements.append(name)
    }

    mutating func close() {
        guard let name = openElements.popLast() else { return }
        lines.append(indent + "</" + name + ">")
    }

    /// A leaf element, self-closing when it has no text.
    mutating func element(_ name: String, _ attributes: Attributes = [], text: String? = nil) {
        let start = indent + "<" + name + Self.attributeText(attributes)
        if let text {
            lines.append(start + ">" + Self.escape(text) + "</" + name + ">")
        } else {
            lines.append(start + "/>")
        }
    }

    private var indent: String { String(repeating: "  ", count: openElements.count) }

    static func attributeText(_ attributes: Attributes) -> String {
        attributes.map { " " + $0.0 + "=\"" + escape($0.1) + "\"" }.joined()
    }

    static func number(_ value: Double) -> String { SVGNumber.compact(value) }

    /// `text` safe as XML character data or attribute value: markup characters escaped, characters XML 1.0 forbids
    /// (C0 controls) and line breaks replaced by spaces.
    static func escape(_ text: String) -> String { MarkupText.escape(text, lineBreaks: .flatten) }
}

extension SVGDocument {
    /// Text anchored at (x, y) on its baseline.
    mutating func text(
        _ string: String, x: Double, y: Double, size: Double, anchor: String = "start", weight: String? = nil,
        fill: String = ChartPalette.ink, rotate: Bool = false, className: String? = nil
    ) {
        var attributes: Attributes = []
        if let className { attributes.append(("class", className)) }
        attributes += [("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size))]
        if anchor != "start" { attributes.append(("text-anchor", anchor)) }
        if let weight { attributes.append(("font-weight", weight)) }
        attributes.append(("fill", fill))
        if rotate { attributes.append(("transform", "rotate(-90 \(Self.number(x)) \(Self.number(y)))")) }
        element("text", attributes, text: string)
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        var attributes: Attributes = [
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        extra: Attributes = []
    ) {
        var attributes: Attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(Swift.max(width, 0))),
            ("height", Self.number(Swift.max(height, 0))), ("fill", fill),
        ]
        if let stroke { attributes += [("stroke", stroke), ("stroke-width", "1")] }
        element("rect", attributes + extra)
    }

    /// Path data from points: "M x y L x y …", one subpath per run, "Z" closing each when `closed`.
    static func pathData(_ runs: [[(x: Double, y: Double)]], closed: Bool = false) -> String {
        runs.filter { !$0.isEmpty }.map { run in
            run.enumerated().map { i, p in (i == 0 ? "M" : "L") + number(p.x) + " " + number(p.y) }.joined(
                separator: " ")
                + (closed ? " Z" : "")
        }.joined(separator: " ")
    }
}
