/// Typed errors of the engine's operations. Nothing is written when one is thrown.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownUser(String)
    case unknownOutcome(String)
    case unknownPersona(String)
    case duplicateUser(String)
    case invalidSetting(key: String, reason: String)
    case invalidArgument(String)
    case injectedFault(String)
    case store(String)

    public var description: String {
        switch self {
        case .unknownUser(let id): return "unknown user '\(id)': no flow assignment exists for it"
        case .unknownOutcome(let o):
            return
                "unknown outcome '\(o)' (expected one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownPersona(let p): return "unknown persona '\(p)': it has no v3 default and no flow patterns"
        case .duplicateUser(let id): return "user '\(id)' already has a flow assignment"
        case .invalidSetting(let key, let reason): return "setting \(key): \(reason)"
        case .invalidArgument(let m): return m
        case .injectedFault(let m): return "injected fault: \(m)"
        case .store(let m): return "store error: \(m)"
        }
    }
}
