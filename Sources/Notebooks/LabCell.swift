/// A `lab` block of a notebook and the place of its `output` block.
public struct LabCell: Equatable, Sendable {
    /// The block's commands, in order (blank lines inside the block are skipped).
    public var commands: [LabCommand]
    /// Index (0-based) of the block's closing fence line.
    public var closingLine: Int
    /// Line indices (0-based, closed) of the `output` block that follows, fences included, when there is one.
    public var output: ClosedRange<Int>?
}
