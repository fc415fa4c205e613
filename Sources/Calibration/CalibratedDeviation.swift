/// The v3 runtime's rewrites: users assigned one of `from` who were presented one of `to` instead.
public struct CalibratedDeviation: Sendable {
    /// Rewritten users out of the users assigned a `from` flow.
    public var rate: Proportion
    public var from: [String]
    /// Target flow ids with the number of rewritten users presented each (the weights).
    public var to: [(flow: String, users: Int)]
}
