import ArgumentParser
import Foundation

/// `onboarding-lab report DIR`: a results folder's report.md on stdout, whole or by section — how a notebook shows
/// the numbers its conclusion cites.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a results folder's report.md, or some of its sections.",
        discussion: """
            --section NAME (repeatable) prints only the `## ` sections whose heading starts with NAME (case is \
            ignored; e.g. Recommendation, "Time to confidence", "Results per persona", Comparisons), each with its \
            subsections, in the report's order. A NAME that matches no section is an error listing the \
            sections (exit 2), as is a folder without report.md.
            """)

    @Argument(help: "A results folder.")
    var folder: String

    @Option(help: ArgumentHelp("Only the sections whose heading starts with this (repeatable).", valueName: "name"))
    var section: [String] = []

    func run() throws {
        let path = (folder as NSString).appendingPathComponent("report.md")
        guard let data = FileManager.default.contents(atPath: path) else {
            StandardError.write("error: \(path): no such file (is \(folder) a results folder?)")
            throw LabExit.invalidInput
        }
        let text = String(decoding: data, as: UTF8.self)
        guard !section.isEmpty else {
            print(text, terminator: "")
            return
        }
        let sections = Self.sections(of: text)
        for name in section where !sections.contains(where: { Self.matches($0.heading, name) }) {
            StandardError.write(
                "error: \(path): no section starts with '\(name)'; sections: \(sections.map(\.heading).joined(separator: ", "))"
            )
            throw LabExit.invalidInput
        }
        let chosen = sections.filter { s in section.contains { Self.matches(s.heading, $0) } }
        print(chosen.map(\.text).joined(), terminator: "")
    }

    static func matches(_ heading: String, _ name: String) -> Bool {
        heading.lowercased().hasPrefix(name.lowercased())
    }

    /// The `## ` sections of a Markdown text (heading without the `## `, and the text up to the next `## `).
    static func sections(of text: String) -> [(heading: String, text: String)] {
        var result: [(heading: String, text: String)] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0)
        {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence && line.hasPrefix("## ") {
                result.append((String(line.dropFirst(3)), ""))
            }
            if !result.isEmpty { result[result.count - 1].text += line + "\n" }
        }
        return result
    }
}
