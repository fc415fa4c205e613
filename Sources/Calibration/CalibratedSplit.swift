/// One part of a persona's v3 default (from its configuration in `engine_settings`).
public struct CalibratedSplit: Sendable, Equatable {
    public var flow: String
    public var variant: String
    public var weight: Double
}
