/// A CommonMark fence line (the opening or closing line of a fenced code block): at most three spaces of
/// indentation, then three or more backticks or tildes; an opening fence may carry an info string (never containing a
/// backtick after a backtick fence), a closing fence only trailing spaces.
public struct CodeFence: Equatable, Sendable {
    /// `` ` `` or `~`.
    public var character: Character
    public var length: Int
    /// The info string, trimmed.
    public var info: String

    /// The first word of the info string (`lab`, `output`, `swift`, …), or "" when there is none.
    public var language: String { String(info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") }

    /// The fence that `line` opens, or nil when it is not a fence line.
    public static func opening(_ line: String) -> CodeFence? {
        var rest = Substring(line)
        var indent = 0
        while rest.first == " " && indent < 4 {
            rest = rest.dropFirst()
            indent += 1
        }
        guard indent <= 3, let first = rest.first, first == "`" || first == "~" else { return nil }
        let run = rest.prefix { $0 == first }
        guard run.count >= 3 else { return nil }
        let info = rest.dropFirst(run.count).trimmedSpaces()
        if first == "`" && info.contains("`") { return nil }
        return CodeFence(character: first, length: run.count, info: info)
    }

    /// True when `line` closes a block opened by this fence.
    public func isClosed(by line: String) -> Bool {
        guard let other = CodeFence.opening(line) else { return false }
        return other.character == character && other.length >= length && other.info.isEmpty
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmedSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
