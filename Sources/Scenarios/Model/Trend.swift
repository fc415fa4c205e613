/// A functional change of one truth value over days: a ramp between two values, a seasonal sine, or a novelty
/// (or primacy) effect decaying since the flow's introduction.
///
/// A ramp is a value, like a step drift: from `startDay` on it replaces the field, and it is ordered with the
/// persona's step drifts by day (the later start wins; on the same day the ramp wins). Sines and decays are offsets
/// added after the step drifts and ramps. The result is clamped: probabilities to [0, 1], medians to at least one
/// minute.
public struct Trend: Sendable, Equatable {
    /// A flow id of the same persona, or `nil` for every flow of the persona.
    public var flow: String?
    public var field: TrendField
    public var shape: TrendShape

    public init(flow: String? = nil, field: TrendField, shape: TrendShape) {
        self.flow = flow
        self.field = field
        self.shape = shape
    }
}

/// The truth value a trend moves.
public enum TrendField: String, Sendable, Equatable, CaseIterable {
    case activation7d = "activation_7d"
    /// Both parts of the retention (the flat rate, or `if_activated` and `if_not` together).
    case retention30d = "retention_30d"
    case retentionIfActivated = "retention_if_activated"
    case retentionIfNot = "retention_if_not"
    case upgrade
    /// The median of the time-to-first-win distribution (the minutes of a `fixed` one), in minutes.
    case timeToFirstWinMedian = "time_to_first_win_median"

    /// Whether the field is a probability (else a number of minutes).
    public var isProbability: Bool { self != .timeToFirstWinMedian }
}

/// How a trend moves its field with the day `d`.
public enum TrendShape: Sendable, Equatable {
    /// `from` on `startDay`, linearly to `to` on `endDay` (≥ `startDay`), `to` afterwards; no effect before
    /// `startDay` (< horizon). `endDay` may lie beyond the horizon.
    case ramp(from: Double, to: Double, startDay: Int, endDay: Int)
    /// Adds `amplitude · sin(2π · (d + phaseDays) / periodDays)` on every day.
    case sine(amplitude: Double, periodDays: Double, phaseDays: Double)
    /// Adds `lift · 2^(−(d − introduced_day) / halfLifeDays)` from the flow's `introduced_day` on; a negative lift is a
    /// primacy effect.
    case decay(lift: Double, halfLifeDays: Double)

    /// The key naming the shape in a file.
    public var key: String {
        switch self {
        case .ramp: return "ramp"
        case .sine: return "sine"
        case .decay: return "decay"
        }
    }
}
