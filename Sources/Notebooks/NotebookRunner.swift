import Foundation

/// Runs a notebook's commands: each one spawns the lab's own executable directly (no shell) from a root folder, after
/// deleting its `--out` path so every run starts from nothing.
public struct NotebookRunner: Sendable {
    /// The `onboarding-lab` executable to spawn.
    public var executable: URL

    public init(executable: URL) {
        self.executable = executable
    }

    /// The result of running every command of a notebook.
    public struct Run: Sendable {
        /// The notebook with fresh output blocks.
        public var text: String
        /// The commands that exited non-zero, with what they printed.
        public var failures: [(command: LabCommand, outcome: CommandOutcome)]
    }

    /// Runs every command of `notebook` in order from `root` (stdout into the output blocks); `progress` hears each
    /// command before it starts and each command's standard error after it ends (warnings, timings).
    public func run(
        _ notebook: Notebook, root: URL, progress: (LabCommand, CommandOutcome?) -> Void = { _, _ in }
    ) throws -> Run {
        var outputs: [String] = []
        var failures: [(command: LabCommand, outcome: CommandOutcome)] = []
        for cell in notebook.cells {
            var output = ""
            for command in cell.commands {
                progress(command, nil)
                let outcome = try execute(command, root: root)
                progress(command, outcome)
                output += outcome.outputText(line: command.line)
                if !outcome.succeeded { failures.append((command, outcome)) }
            }
            outputs.append(output)
        }
        return Run(text: notebook.rendered(outputs: outputs), failures: failures)
    }

    /// Deletes the command's written paths under `root`, then runs it there and waits for it.
    public func execute(_ command: LabCommand, root: URL) throws -> CommandOutcome {
        let files = FileManager.default
        for (_, path) in command.writtenPaths {
            let target = root.appendingPathComponent(path)
            if files.fileExists(atPath: target.path) { try files.removeItem(at: target) }
        }
        let capture = files.temporaryDirectory.appendingPathComponent("onboarding-lab-notebook-\(UUID().uuidString)")
        try files.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? files.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout")
        let errURL = capture.appendingPathComponent("stderr")
        _ = files.createFile(atPath: outURL.path, contents: nil)
        _ = files.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = command.arguments
        process.currentDirectoryURL = root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CommandOutcome(
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            exitCode: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus)
    }
}
