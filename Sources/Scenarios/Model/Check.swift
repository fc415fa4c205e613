/// What `check` asserts: the champion of `persona` is its true best flow on day `championIsTrueBestByDay` with
/// probability at least `minProbability` (decided sequentially by `check`: see `CheckEvaluator` in Experiments).
///
/// Whether the persona's true best flow is unique needs the oracle, so that rule is checked by the simulation layer,
/// which reports it at `location`.
public struct Check: Sendable, Equatable {
    public var persona: String
    /// In `0 ..< horizonDays`.
    public var championIsTrueBestByDay: Int
    /// In [0, 1].
    public var minProbability: Double
    /// The check's mapping in the file.
    public var location: SourceLocation

    public init(
        persona: String,
        championIsTrueBestByDay: Int,
        minProbability: Double,
        location: SourceLocation = .unknown
    ) {
        self.persona = persona
        self.championIsTrueBestByDay = championIsTrueBestByDay
        self.minProbability = minProbability
        self.location = location
    }

    /// Equal when every field but `location` is equal.
    public static func == (lhs: Check, rhs: Check) -> Bool {
        lhs.persona == rhs.persona && lhs.championIsTrueBestByDay == rhs.championIsTrueBestByDay
            && lhs.minProbability == rhs.minProbability
    }
}
