/// The closed (or, below, open) interval a numeric setting or input must lie in.
///
/// Bounds are `Double` so one type serves numbers and integers; integer bounds are exact up to 2^53.
public struct SettingRange: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    /// True when the lower bound itself is excluded (`> 0` rather than `≥ 0`).
    public let lowerExclusive: Bool

    public init(_ lower: Double, _ upper: Double, lowerExclusive: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerExclusive = lowerExclusive
    }

    /// An integer range.
    public init(_ range: ClosedRange<Int>) {
        self.init(Double(range.lowerBound), Double(range.upperBound))
    }

    /// [0, 1].
    public static let share = SettingRange(0, 1)

    /// True for finite values inside the interval (NaN and infinities are never inside).
    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        return (lowerExclusive ? value > lower : value >= lower) && value <= upper
    }

    /// The integer interval, when both bounds are integers.
    public var integers: ClosedRange<Int>? {
        guard let low = Int(exactly: lower), let high = Int(exactly: upper), !lowerExclusive else { return nil }
        return low...high
    }

    /// "between 0 and 1", "greater than 0 and at most 5256000", as used in "must be …, found x".
    public var phrase: String {
        lowerExclusive
            ? "greater than \(Self.text(lower)) and at most \(Self.text(upper))"
            : "between \(Self.text(lower)) and \(Self.text(upper))"
    }

    /// An integral bound without a decimal point (`3650`, not `3650.0`).
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15, let integer = Int(exactly: value) { return "\(integer)" }
        return "\(value)"
    }
}
