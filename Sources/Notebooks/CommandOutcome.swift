/// What one notebook command printed and how it exited.
public struct CommandOutcome: Equatable, Sendable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String, stderr: String, exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    public var succeeded: Bool { exitCode == 0 }

    /// What goes into the output block: the standard output; for a failed command also its standard error and exit
    /// status, after marker lines naming the notebook line, so a reader sees why it failed.
    public func outputText(line: Int) -> String {
        var text = stdout
        guard !succeeded else { return text }
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        text += "--- standard error of line \(line)\n" + stderr
        if !stderr.isEmpty && !stderr.hasSuffix("\n") { text += "\n" }
        return text + "--- exit status \(exitCode)\n"
    }
}
