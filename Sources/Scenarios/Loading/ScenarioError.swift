import Foundation

/// A scenario that cannot be used, with every problem found, sorted by line and column.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
}
