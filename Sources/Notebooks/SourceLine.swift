/// One line of a notebook: its text and the exact terminator that ended it (`"\n"`, `"\r\n"`, or `""` for a last line
/// without one), so that joining the lines gives back the file byte for byte.
public struct SourceLine: Equatable, Sendable {
    public var content: String
    public var terminator: String

    public var text: String { content + terminator }

    /// Splits `text` after every `\n` (a `\r` right before it belongs to the terminator; a lone `\r` is content).
    public static func split(_ text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.unicodeScalars.last == "\r" {
                    current.unicodeScalars.removeLast()
                    lines.append(SourceLine(content: current, terminator: "\r\n"))
                } else {
                    lines.append(SourceLine(content: current, terminator: "\n"))
                }
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(SourceLine(content: current, terminator: "")) }
        return lines
    }

    /// True for a line of spaces and tabs only.
    public var isBlank: Bool { content.allSatisfy { $0 == " " || $0 == "\t" } }
}
