/// Why a database's contents cannot be calibrated (the CLI exits 4). The database itself was readable.
public struct CalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot calibrate a scenario: \(reason)" }
}
