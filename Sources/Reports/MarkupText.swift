/// Text made safe for XML, SVG and HTML: one escaper for every markup the lab writes (charts, JUnit, the dashboard).
public enum MarkupText {
    /// What to do with line breaks and tabs: keep them (element text such as a JUnit failure or a `<pre>`), or
    /// turn them into spaces (attribute values and chart labels, which are one line).
    public enum LineBreaks: Sendable { case keep, flatten }

    /// `text` safe as character data or a quoted attribute value: `& < > " '` as references; characters XML 1.0
    /// forbids (C0 controls other than tab and line breaks, U+FFFE, U+FFFF) and DEL replaced by spaces.
    public static func escape(_ text: String, lineBreaks: LineBreaks = .keep) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\r", "\t": out.unicodeScalars.append(lineBreaks == .keep ? scalar : " ")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
