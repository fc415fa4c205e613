import Hummingbird

/// A request the dashboard refuses, with the HTTP status and a message for the operator.
public struct DashboardError: Error, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(status.reasonPhrase): \(message)" }
}
