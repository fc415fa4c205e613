/// One option of a persona's v3 default: a flow, its presentation variant and a split weight.
public struct V3Option: Sendable, Equatable, Codable {
    public var steps: [String]
    public var variant: String
    public var weight: Double

    public init(steps: [String], variant: String, weight: Double = 1) {
        self.steps = steps
        self.variant = variant
        self.weight = weight
    }
}

/// What the engine knows of a persona besides its patterns: the activation event and the v3 default flow(s).
public struct PersonaConfig: Sendable, Equatable, Codable {
    public var persona: String
    public var activationEvent: String
    public var v3Default: [V3Option]

    public init(persona: String, activationEvent: String, v3Default: [V3Option]) {
        self.persona = persona
        self.activationEvent = activationEvent
        self.v3Default = v3Default
    }
}
