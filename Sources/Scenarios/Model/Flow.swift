/// An ordered list of steps offered to one persona, with the truth of how its users behave.
///
/// The engine's flow id is built from the persona and the steps (`persona::[a>b>c]`); `id` is the local name the
/// scenario uses to refer to the flow.
public struct Flow: Sendable, Equatable {
    /// Unique within the persona; no whitespace and none of `>`, `[`, `]`, `:`.
    public var id: String
    /// At least one step, none repeated; same character rules as ids.
    public var steps: [String]
    /// Registered as a pattern with sample 0 at `introducedDay`, so exploration can try it. Default false.
    public var candidate: Bool
    /// ≥ 0; default 0.
    public var introducedDay: Int
    /// Required in scenarios; optional (and unused) in engine configurations.
    public var truth: Truth?
    /// This flow's step funnel entries, overriding the persona's for the same steps; nil when it has none.
    public var funnel: [StepContinuation]?
    public var location: SourceLocation

    public init(
        id: String,
        steps: [String],
        candidate: Bool = false,
        introducedDay: Int = 0,
        truth: Truth? = nil,
        funnel: [StepContinuation]? = nil,
        location: SourceLocation = .unknown
    ) {
        self.id = id
        self.steps = steps
        self.candidate = candidate
        self.introducedDay = introducedDay
        self.truth = truth
        self.funnel = funnel
        self.location = location
    }

    /// Equal when every field but `location` is equal.
    public static func == (lhs: Flow, rhs: Flow) -> Bool {
        lhs.id == rhs.id && lhs.steps == rhs.steps && lhs.candidate == rhs.candidate
            && lhs.introducedDay == rhs.introducedDay && lhs.truth == rhs.truth
            && lhs.funnel == rhs.funnel
    }
}
