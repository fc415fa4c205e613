/// Why a notebook cannot be run: a located problem (`file:line: reason`). `notebook run` and `notebook check` exit 2
/// on it without running anything.
public struct NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The notebook file as given on the command line.
    public var file: String
    /// 1-based line number.
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}
