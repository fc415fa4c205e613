import Foundation

/// `notebook check`: re-runs a notebook in a scratch copy of the repository and compares what it prints and writes
/// with what is committed — every output block, and every file under the paths its commands write (`--out`).
public struct NotebookCheck: Sendable {
    public var runner: NotebookRunner

    public init(runner: NotebookRunner) {
        self.runner = runner
    }

    /// Top-level entries of the repository left out of the scratch copy: build folders, git, and the results (the
    /// re-run writes its own).
    public static func isCopied(_ name: String) -> Bool {
        !(name.hasPrefix(".build") || name == ".git" || name == ".swiftpm" || name == LabCommand.resultsFolder
            || name == "scratch")
    }

    public struct Report: Sendable {
        /// Unified diffs and one-line messages, in notebook order.
        public var differences: [String]
        /// Commands that exited non-zero in the re-run.
        public var failures: [(command: LabCommand, outcome: CommandOutcome)]
        public var passed: Bool { differences.isEmpty && failures.isEmpty }
    }

    /// Re-runs `notebook` (read from `root`/`path`) in a fresh scratch copy of `root`, then removes the copy.
    public func check(
        _ notebook: Notebook, path: String, root: URL,
        progress: (LabCommand, CommandOutcome?) -> Void = { _, _ in }
    ) throws -> Report {
        let files = FileManager.default
        let scratch = files.temporaryDirectory.appendingPathComponent("onboarding-lab-check-\(UUID().uuidString)")
        try files.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: scratch) }
        for name in try files.contentsOfDirectory(atPath: root.path).sorted() where Self.isCopied(name) {
            try files.copyItem(at: root.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
        }
        let run = try runner.run(notebook, root: scratch, progress: progress)
        var differences: [String] = []
        let original = notebook.lines.map(\.text).joined()
        let diff = UnifiedDiff.diff(original, run.text, oldLabel: "a/\(path)", newLabel: "b/\(path)")
        if !diff.isEmpty { differences.append(diff) }
        var seen = Set<String>()
        for command in notebook.commands {
            guard let out = command.outputPath, seen.insert(out).inserted else { continue }
            differences += try ResultComparison.differences(
                committed: root.appendingPathComponent(out), fresh: scratch.appendingPathComponent(out), label: out)
        }
        return Report(differences: differences, failures: run.failures)
    }
}
