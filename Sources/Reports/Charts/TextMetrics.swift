/// Estimated text widths for laying out labels without a font engine, and truncation and wrapping to a width.
///
/// Advance widths are DejaVu Sans Book's (per 1000 em), the widest of the fonts the charts name, so a label laid out
/// for it also fits Helvetica and Arial. Bold adds 10%.
enum TextMetrics {
    /// Advance widths of ASCII 32 (space) … 126 (`~`), in thousandths of an em.
    static let asciiWidths: [Double] = [
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,  // space … /
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636,  // 0 … 9
        337, 337, 838, 838, 838, 531, 1000,  // : … @
        684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,  // A … M
        748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685,  // N … Z
        390, 337, 390, 838, 500, 500,  // [ … `
        613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974,  // a … m
        634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525,  // n … z
        636, 337, 636, 838,  // { … ~
    ]

    static let ellipsis = "…"

    /// The estimated width in pixels of `text` at `fontSize`.
    static func width(_ text: String, fontSize: Double, bold: Bool = false) -> Double {
        var units = 0.0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 32 && v <= 126 {
                units += asciiWidths[Int(v) - 32]
            } else if v == 0x2026 || v == 0x2014 {
                units += 1000
            } else if v >= 0x0300 && v <= 0x036F {
                continue  // combining marks take no advance
            } else {
                units += v >= 0x2E80 ? 1000 : 760
            }
        }
        return units / 1000 * fontSize * (bold ? 1.1 : 1)
    }

    /// `text`, or its longest prefix followed by "…" that fits `maxWidth` (just "…" when nothing else fits).
    static func truncated(_ text: String, maxWidth: Double, fontSize: Double, bold: Bool = false) -> String {
        guard width(text, fontSize: fontSize, bold: bold) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters).trimmingTrailingSpaces + ellipsis
            if width(candidate, fontSize: fontSize, bold: bold) <= maxWidth { return candidate }
        }
        return ellipsis
    }

    /// `text` broken at spaces into at most `maxLines` lines of `maxWidth`; the last line is truncated if needed.
    static func wrapped(_ text: String, maxWidth: Double, fontSize: Double, maxLines: Int) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var lines: [String] = []
        var current = ""
        var index = 0
        while index < words.count {
            let word = words[index]
            let candidate = current.isEmpty ? word : current + " " + word
            if current.isEmpty || width(candidate, fontSize: fontSize) <= maxWidth {
                current = candidate
                index += 1
                continue
            }
            if lines.count == maxLines - 1 { break }
            lines.append(current)
            current = ""
        }
        if index < words.count {
            current += " " + words[index...].joined(separator: " ")
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines.prefix(Swift.max(1, maxLines)).map { truncated($0, maxWidth: maxWidth, fontSize: fontSize) }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
