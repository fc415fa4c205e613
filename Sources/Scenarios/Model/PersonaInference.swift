/// How the runtime infers a user's persona (the design document's `initForUser` starts with "infer persona"): a
/// confusion matrix per period. The engine sees the inferred persona; the user's behaviour (truth) follows the true
/// one.
///
/// In a file, `persona_inference: {<true persona>: {<inferred persona>: share, …}, …}` is one period from day 0;
/// a list `[{from_day: 0, matrix: {…}}, {from_day: 60, matrix: {…}}, …]` lets the matrix drift (each period lasts
/// until the next starts).
public struct PersonaInference: Sendable, Equatable {
    /// Starts at day 0; `fromDay` strictly increasing.
    public var periods: [InferencePeriod]

    public init(periods: [InferencePeriod]) {
        self.periods = periods
    }

    /// The matrix in force on `day`.
    public func period(onDay day: Int) -> InferencePeriod? {
        periods.last { $0.fromDay <= day }
    }
}

/// One confusion matrix and the day it applies from.
public struct InferencePeriod: Sendable, Equatable {
    public var fromDay: Int
    /// One row per true persona that is ever misclassified, in file order; a persona without a row is always
    /// inferred correctly.
    public var rows: [InferenceRow]

    public init(fromDay: Int = 0, rows: [InferenceRow]) {
        self.fromDay = fromDay
        self.rows = rows
    }
}

/// The inferred personas of the users of one true persona, with relative shares (≥ 0, normalised over the row,
/// at least one greater than 0).
public struct InferenceRow: Sendable, Equatable {
    public var persona: String
    public var inferred: [(persona: String, share: Double)]

    public init(persona: String, inferred: [(persona: String, share: Double)]) {
        self.persona = persona
        self.inferred = inferred
    }

    public static func == (a: InferenceRow, b: InferenceRow) -> Bool {
        a.persona == b.persona && a.inferred.map(\.persona) == b.inferred.map(\.persona)
            && a.inferred.map(\.share) == b.inferred.map(\.share)
    }
}
