/// How a flow's steps differ from its persona's champion: each step is kept in place, moved, or added, and the
/// champion's steps the flow lacks are listed as missing.
public struct FlowDifferences: Sendable, Equatable {
    public enum Mark: String, Sendable, Equatable {
        /// The champion has this step at the same position.
        case same
        /// The champion has this step, at another position.
        case moved
        /// The champion does not have this step.
        case added
    }

    /// The flow's steps in order, each with its mark.
    public var steps: [(step: String, mark: Mark)]
    /// The champion's steps the flow does not have, in the champion's order.
    public var missing: [String]

    public init(steps: [String], champion: [String]) {
        let championSet = Set(champion)
        self.steps = steps.enumerated().map { index, step in
            if index < champion.count && champion[index] == step { return (step, .same) }
            return (step, championSet.contains(step) ? .moved : .added)
        }
        let own = Set(steps)
        missing = champion.filter { !own.contains($0) }
    }

    /// Whether the flow is the champion's sequence exactly.
    public var isIdentical: Bool { missing.isEmpty && steps.allSatisfy { $0.mark == .same } }

    public static func == (a: FlowDifferences, b: FlowDifferences) -> Bool {
        a.missing == b.missing && a.steps.map(\.step) == b.steps.map(\.step)
            && a.steps.map(\.mark) == b.steps.map(\.mark)
    }
}
