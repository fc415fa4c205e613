/// A command-line value that is valid on its own but not for this scenario (e.g. a `--scale` that would make the
/// busiest day exceed ``Scenarios/ScenarioLimits/maxSignupsPerDay``). The CLI exits 64, like any usage error.
public struct PlanInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option, e.g. `--scale`.
    public var option: String
    public var reason: String

    public init(option: String, reason: String) {
        self.option = option
        self.reason = reason
    }

    public var description: String { "\(option): \(reason)" }
}
