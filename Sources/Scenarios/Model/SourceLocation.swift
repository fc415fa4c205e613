/// A position in a scenario file, used to point diagnostics and later checks at the text that caused them.
///
/// `line` and `column` are 1-based; columns count Unicode scalars, as libyaml does. Line 0 means "no position in a
/// file": the value was built in code or given as an override, and `description` then prints the file part only.
public struct SourceLocation: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The location of values built in code.
    public static let unknown = SourceLocation(file: "", line: 0, column: 0)

    /// `file:line:column`, or just `file` when the location has no line.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
