/// A closed interval `[lower, upper]` on the real line, e.g. a confidence interval.
///
/// The statistics layer only returns finite bounds with `lower ≤ upper`, so intervals can be written to CSV as
/// plain numbers.
public struct Interval: Sendable, Equatable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The zero-width interval `[value, value]`.
    public init(point value: Double) {
        self.init(lower: value, upper: value)
    }

    /// `upper − lower`.
    public var width: Double { upper - lower }

    /// Whether `value` lies in the closed interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
