/// One problem found in a scenario: where it is, which setting it concerns, and why it is wrong.
public struct Diagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The offending node, or the mapping that lacks a required key.
    public var location: SourceLocation
    /// The setting path, e.g. `personas[0].flows[1].truth.activation_7d`; empty for problems of the whole file.
    public var path: String
    public var reason: String

    public init(location: SourceLocation, path: String, reason: String) {
        self.location = location
        self.path = path
        self.reason = reason
    }

    /// `file:line:column: path: reason`; the location without a line prints as the file only, and an empty path
    /// is left out.
    public var description: String {
        [location.description, path, reason].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}
