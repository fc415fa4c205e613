import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG document parsed with Foundation's XMLParser into a flat list of elements, for structural assertions.
struct SVGTree {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// Index of the parent element in `elements`, nil for the root.
        var parent: Int?
    }

    var elements: [Element]

    /// Parses `svg`, or throws with the parser's error (line and column) when it is not well-formed XML.
    init(_ svg: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(
                description: "line \(parser.lineNumber), column \(parser.columnNumber): "
                    + (parser.parserError.map { "\($0)" } ?? "unknown XML error"))
        }
        elements = collector.elements
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    var root: Element? { elements.first }

    func elements(named name: String) -> [Element] { elements.filter { $0.name == name } }

    func elements(class className: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(className)) }
    }

    /// Texts of `<text>` elements with the class.
    func texts(class className: String) -> [String] {
        elements(class: className).filter { $0.name == "text" }.map(\.text)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var stack: [Int] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            elements.append(Element(name: elementName, attributes: attributes, text: "", parent: stack.last))
            stack.append(elements.count - 1)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let current = stack.last { elements[current].text += string }
        }
    }
}
