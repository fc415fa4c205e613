import Testing

@testable import Reports

@Suite struct SVGPrimitivesTests {
    @Test func numbersAreLocaleFreeAndCompact() {
        #expect(SVGNumber.fixed(3.14159, decimals: 2) == "3.14")
        #expect(SVGNumber.fixed(-2.5, decimals: 0) == "-3")  // half away from zero
        #expect(SVGNumber.fixed(0.05, decimals: 3) == "0.050")
        #expect(SVGNumber.fixed(-0.001, decimals: 2) == "0.00")
        #expect(SVGNumber.fixed(.nan, decimals: 1) == "0.0")
        #expect(SVGNumber.compact(12.5) == "12.5")
        #expect(SVGNumber.compact(760) == "760")
        #expect(SVGNumber.compact(-0.004) == "0")
        #expect(SVGNumber.compact(1.005, decimals: 1) == "1")
    }

    @Test func escapingMakesAnyTextSafe() {
        #expect(SVGDocument.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(SVGDocument.escape("tab\there\u{1}") == "tab here ")
        #expect(SVGDocument.escape("é…") == "é…")
    }

    @Test func documentsAreWellFormed() throws {
        var document = SVGDocument(width: 100, height: 50, title: "T & t", description: "")
        document.open("g", [("class", "x")])
        document.text("<label>", x: 1, y: 2, size: 11)
        let tree = try SVGTree(document.text)  // the open group is closed by `text`
        #expect(tree.root?.name == "svg")
        #expect(tree.root?.attributes["width"] == "100")
        #expect(tree.elements(named: "title").first?.text == "T & t")
        #expect(tree.elements(named: "text").first?.text == "<label>")
    }

    @Test func asciiWidthTableCoversPrintableASCII() {
        #expect(TextMetrics.asciiWidths.count == 95)
        // DejaVu Sans: digits are 0.636 em; "10" at 10 px is 12.72 px.
        #expect(abs(TextMetrics.width("10", fontSize: 10) - 12.72) < 1e-9)
    }

    @Test func truncationAddsAnEllipsisWithinTheWidth() {
        let long = "engine.epsilon=0.25, engine.min_champion_sample=200, governance.max_epsilon=0.3"
        let cut = TextMetrics.truncated(long, maxWidth: 200, fontSize: 12)
        #expect(cut.hasSuffix("…"))
        #expect(TextMetrics.width(cut, fontSize: 12) <= 200)
        #expect(long.hasPrefix(String(cut.dropLast())))
        #expect(TextMetrics.truncated("short", maxWidth: 200, fontSize: 12) == "short")
        #expect(TextMetrics.truncated("wide", maxWidth: 1, fontSize: 12) == "…")
    }

    @Test func wrappingBreaksAtSpacesAndCapsTheLines() {
        let text = Array(repeating: "word", count: 60).joined(separator: " ")
        let lines = TextMetrics.wrapped(text, maxWidth: 300, fontSize: 12, maxLines: 2)
        #expect(lines.count == 2)
        #expect(lines[1].hasSuffix("…"))
        #expect(lines.allSatisfy { TextMetrics.width($0, fontSize: 12) <= 300 })
        #expect(TextMetrics.wrapped("one line", maxWidth: 300, fontSize: 12, maxLines: 2) == ["one line"])
    }

    @Test func paletteIsOkabeItoWithDashesAfterEightSeries() {
        #expect(ChartPalette.style(0).colour == "#0072B2" && ChartPalette.style(0).dash == nil)
        #expect(ChartPalette.style(8).colour == "#0072B2" && ChartPalette.style(8).dash != nil)
        #expect(Set((0..<8).map { ChartPalette.style($0).colour }).count == 8)
        #expect(ChartPalette.textColour(on: "#000000") == "#FFFFFF")
        #expect(ChartPalette.textColour(on: "#F0E442") == "#000000")
        #expect(ChartPalette.textColour(on: "#0072B2") == "#FFFFFF")
    }

    @Test func slugsAreFileSafeAndUnique() {
        #expect(ChartData.slug("mlm_newbie") == "mlm_newbie")
        #expect(ChartData.slug("Agency Owner/EU") == "agency-owner-eu")
        #expect(ChartData.slug("<<>>") == "persona")
        #expect(ChartData.slug(String(repeating: "ab-", count: 100)).count <= ChartData.maxSlugLength)
        #expect(!ChartData.slug(String(repeating: "ab-", count: 100)).hasSuffix("-"))
    }
}
