/// A Markdown notebook (SPEC §6): text, `lab` blocks of `onboarding-lab` command lines, and the `output` block after
/// each. Parsing keeps every byte, so ``rendered(outputs:)`` changes nothing but `output` blocks.
///
/// Blocks are CommonMark fenced code blocks (``CodeFence``): a block with another info string is opaque — a `lab`
/// fence inside a longer ```` ```` ```` fence is text, not a command. The `output` block of a `lab` block is the
/// first fenced block after it when its info string starts with `output` (blank lines may separate them).
public struct Notebook: Sendable {
    /// The file as given (for messages).
    public var file: String
    public var lines: [SourceLine]
    public var cells: [LabCell]

    /// The info string of the blocks that hold commands / their outputs.
    public static let labLanguage = "lab"
    public static let outputLanguage = "output"

    /// Parses `text`; a malformed notebook throws ``NotebookError`` naming `file` and the line.
    public init(text: String, file: String) throws(NotebookError) {
        self.file = file
        lines = SourceLine.split(text)
        cells = []
        var index = 0
        while index < lines.count {
            guard let fence = CodeFence.opening(lines[index].content) else {
                index += 1
                continue
            }
            let close = Self.closingIndex(of: fence, openedAt: index, in: lines)
            guard fence.language == Self.labLanguage else {
                index = (close ?? lines.count - 1) + 1
                continue
            }
            guard let close else {
                throw NotebookError(file: file, line: index + 1, reason: "the lab block is never closed")
            }
            var commands: [LabCommand] = []
            for commandIndex in (index + 1)..<close where !lines[commandIndex].isBlank {
                commands.append(
                    try LabCommand.parse(lines[commandIndex].content, file: file, line: commandIndex + 1))
            }
            if commands.isEmpty {
                throw NotebookError(file: file, line: index + 1, reason: "the lab block holds no command")
            }
            var next = close + 1
            while next < lines.count && lines[next].isBlank { next += 1 }
            var output: ClosedRange<Int>?
            if next < lines.count, let outputFence = CodeFence.opening(lines[next].content),
                outputFence.language == Self.outputLanguage
            {
                guard let outputClose = Self.closingIndex(of: outputFence, openedAt: next, in: lines) else {
                    throw NotebookError(file: file, line: next + 1, reason: "the output block is never closed")
                }
                output = next...outputClose
            }
            cells.append(LabCell(commands: commands, closingLine: close, output: output))
            index = (output?.upperBound ?? close) + 1
        }
    }

    static func closingIndex(of fence: CodeFence, openedAt index: Int, in lines: [SourceLine]) -> Int? {
        var candidate = index + 1
        while candidate < lines.count {
            if fence.isClosed(by: lines[candidate].content) { return candidate }
            candidate += 1
        }
        return nil
    }

    /// Every command of the notebook, in order.
    public var commands: [LabCommand] { cells.flatMap(\.commands) }

    /// The text of the output block of each cell (between its fences, terminators as written), nil when missing.
    public var outputTexts: [String?] {
        cells.map { cell in
            guard let range = cell.output else { return nil }
            return lines[(range.lowerBound + 1)..<range.upperBound].map(\.text).joined()
        }
    }

    /// The notebook with `outputs[i]` (the text of cell i's output, lines ending in `\n`) in the output block after
    /// cell i — replacing the block, or inserted right after the lab block. Every other byte is kept; a new block's
    /// line ends follow the lab block's closing line (CRLF or LF). A lab block that closes the file without a final
    /// line end gets one before its new output block.
    public func rendered(outputs: [String]) -> String {
        precondition(outputs.count == cells.count, "one output per lab block")
        var text = ""
        var next = 0
        for (cell, output) in zip(cells, outputs) {
            let closing = lines[cell.closingLine]
            let lineEnd = closing.terminator.isEmpty ? Self.defaultLineEnd(lines) : closing.terminator
            let replaceFrom = cell.output?.lowerBound ?? (cell.closingLine + 1)
            for index in next..<replaceFrom {
                text += lines[index].text
                if index == cell.closingLine && closing.terminator.isEmpty { text += lineEnd }
            }
            let replacedLast = cell.output.map { lines[$0.upperBound] }
            let blockEnd = replacedLast.map { $0.terminator } ?? lineEnd
            text += Self.outputBlock(output, lineEnd: lineEnd, finalTerminator: blockEnd)
            next = (cell.output?.upperBound ?? cell.closingLine) + 1
        }
        for index in next..<lines.count { text += lines[index].text }
        return text
    }

    /// "```output" + the text + "```", with a fence longer than any backtick run that starts a line of the text.
    static func outputBlock(_ output: String, lineEnd: String, finalTerminator: String) -> String {
        var body = output.replacingLineEnds(with: lineEnd)
        if !body.isEmpty && !body.hasSuffix(lineEnd) { body += lineEnd }
        var longest = 2
        for line in SourceLine.split(body) {
            let stripped = line.content.drop { $0 == " " }
            longest = max(longest, stripped.prefix { $0 == "`" }.count)
        }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + outputLanguage + lineEnd + body + fence + finalTerminator
    }

    /// The line end most lines of the file use (LF when there is none).
    static func defaultLineEnd(_ lines: [SourceLine]) -> String {
        let crlf = lines.filter { $0.terminator == "\r\n" }.count
        let lf = lines.filter { $0.terminator == "\n" }.count
        return crlf > lf ? "\r\n" : "\n"
    }

    /// Every byte outside output blocks, in order (what `notebook run` must keep).
    public var textOutsideOutputBlocks: String {
        var skipped = Set<Int>()
        for cell in cells { if let range = cell.output { skipped.formUnion(range) } }
        return lines.indices.filter { !skipped.contains($0) }.map { lines[$0].text }.joined()
    }
}

extension String {
    /// `\r\n` and `\n` line ends replaced by `lineEnd`.
    func replacingLineEnds(with lineEnd: String) -> String {
        SourceLine.split(self).map { $0.content + ($0.terminator.isEmpty ? "" : lineEnd) }.joined()
    }
}
