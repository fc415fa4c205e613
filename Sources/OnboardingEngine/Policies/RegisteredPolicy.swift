/// An assignment policy the lab can run: its name, a phrase saying what it does, the settings only it reads and
/// its constructor, all declared in the policy's own file. Listing the type in ``PolicyRegistry/policies`` makes
/// it a value of `engine.policy` everywhere (scenarios, `--set`, sweeps, `engine settings`, the schema's enum,
/// validation messages, help).
public protocol RegisteredPolicy: AssignmentPolicy {
    /// The value of `engine.policy` (`thompson`); unique among registered policies.
    static var name: String { get }
    /// A phrase for the `engine.policy` description in help and the schema ("Thompson sampling").
    static var summary: String { get }
    /// Settings only this policy reads: descriptors of ``EngineSettings/table`` (scenario path, database key, type,
    /// unit, range, default), placed after the engine's own. A new setting's value lives in
    /// ``EngineSettings/policyParameters`` (field `.parameter(default:)`); read it with
    /// ``SettingDescriptor/number(in:)``.
    static var settings: [SettingDescriptor] { get }
    /// The constructor the engine calls for each assignment (a policy reads everything else from the context).
    init()
}

extension RegisteredPolicy {
    public static var settings: [SettingDescriptor] { [] }
    public var kind: PolicyKind { PolicyKind(registered: Self.self) }
}
