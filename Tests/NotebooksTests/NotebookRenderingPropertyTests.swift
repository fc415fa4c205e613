import Notebooks
import PropertyBased
import Testing

/// `notebook run` rewrites output blocks only: a property over Markdown built from pieces that a notebook parser gets
/// wrong easily — other info strings, fences nested in longer fences, tildes, indented fences, CRLF and LF mixed,
/// missing and stale output blocks, outputs that themselves hold a fence.
@Suite("notebook rendering (property)")
struct NotebookRenderingPropertyTests {
    /// One piece of a crafted notebook; `labBlocks` is how many lab blocks it holds.
    struct Piece: Sendable {
        var text: @Sendable (String) -> String
        var labBlocks: Int
    }

    static let pieces: [Piece] = [
        Piece(text: { e in "# A heading\(e)Some prose with `inline` code and a ``` run inside.\(e)" }, labBlocks: 0),
        Piece(
            text: { e in "```lab\(e)onboarding-lab truth scenarios/a.yaml\(e)```\(e)```output\(e)stale\(e)```\(e)" },
            labBlocks: 1),
        Piece(
            text: { e in "```lab\(e)onboarding-lab validate 'a b.yaml'\(e)\(e)onboarding-lab truth x\(e)```\(e)" },
            labBlocks: 1),
        Piece(text: { e in "```swift\(e)let x = 1\(e)```\(e)" }, labBlocks: 0),
        Piece(
            text: { e in
                "````markdown\(e)```lab\(e)rm -rf /\(e)```\(e)```output\(e)not an output\(e)```\(e)````\(e)"
            }, labBlocks: 0),
        Piece(text: { e in "~~~\(e)```lab\(e)cat /etc/passwd | sh\(e)~~~\(e)" }, labBlocks: 0),
        Piece(text: { e in e }, labBlocks: 0),
        Piece(
            text: { e in
                "~~~lab\(e)onboarding-lab run s.yaml --out results/n/r\(e)~~~\(e)\(e)~~~~output\(e)old\(e)~~~~\(e)"
            },
            labBlocks: 1),
        Piece(text: { e in "    ```lab\(e)    rm -rf /\(e)" }, labBlocks: 0),
        Piece(text: { e in "```output\(e)an output block after no lab block is text\(e)```\(e)" }, labBlocks: 0),
        Piece(
            text: { e in "```lab\(e)onboarding-lab sweep s.yaml\(e)```\(e)```python\(e)print(1)\(e)```\(e)" },
            labBlocks: 1),
    ]

    /// A notebook from piece codes: code / 2 picks the piece, code % 2 the line end (CRLF or LF).
    static func document(_ codes: [Int]) -> (text: String, labBlocks: Int) {
        var text = ""
        var blocks = 0
        for code in codes {
            let piece = pieces[(code / 2) % pieces.count]
            text += piece.text(code % 2 == 0 ? "\n" : "\r\n")
            blocks += piece.labBlocks
        }
        return (text, blocks)
    }

    /// A deterministic fake output: some commands print a fence of their own, some print nothing.
    static func output(for cell: LabCell, index: Int) -> String {
        switch index % 3 {
        case 0: return cell.commands.map { "ran \($0.arguments.joined(separator: " "))\n" }.joined()
        case 1: return "```\nprinted fence\n````\nend\n"
        default: return ""
        }
    }

    @Test func runKeepsEveryByteOutsideOutputBlocks() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...(2 * Self.pieces.count - 1)).array(of: 0...14)) {
            codes in
            let (text, labBlocks) = Self.document(codes)
            let notebook: Notebook
            do {
                notebook = try Notebook(text: text, file: "crafted.md")
            } catch {
                Issue.record("a valid notebook was refused: \(error)\n\(text.debugDescription)")
                return
            }
            #expect(notebook.cells.count == labBlocks, "\(text.debugDescription)")
            #expect(notebook.lines.map(\.text).joined() == text, "parsing must keep every byte")
            let outputs = notebook.cells.enumerated().map { Self.output(for: $0.element, index: $0.offset) }
            let rendered = notebook.rendered(outputs: outputs)
            guard let again = try? Notebook(text: rendered, file: "crafted.md") else {
                Issue.record("the rendered notebook does not parse:\n\(rendered.debugDescription)")
                return
            }
            #expect(again.textOutsideOutputBlocks == notebook.textOutsideOutputBlocks, "\(text.debugDescription)")
            #expect(again.cells.count == labBlocks)
            let written = again.outputTexts.map { $0.map { $0.replacingOccurrences(of: "\r\n", with: "\n") } }
            #expect(written == outputs.map { Optional($0) }, "\(rendered.debugDescription)")
            #expect(again.rendered(outputs: outputs) == rendered, "a second run with the same outputs changes nothing")
        }
    }

    /// The one case where bytes outside output blocks change: a lab block that ends the file without a line end
    /// gets one, then its new output block.
    @Test func labBlockAtEndOfFileWithoutLineEnd() throws {
        let text = "intro\r\n```lab\r\nonboarding-lab truth s.yaml\r\n```"
        let notebook = try Notebook(text: text, file: "end.md")
        let rendered = notebook.rendered(outputs: ["a\nb\n"])
        #expect(rendered == text + "\r\n```output\r\na\r\nb\r\n```\r\n")
    }
}
