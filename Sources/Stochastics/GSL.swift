import CGSL

/// A GSL status code other than `GSL_SUCCESS`, turned into a Swift error.
///
/// Modelled on GRDB's `ResultCode`: the raw C status is kept, and `description` carries GSL's own text
/// (`gsl_strerror`) plus the operation that failed.
public struct GSLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The raw GSL status (`GSL_EDOM`, `GSL_EINVAL`, …; see gsl_errno.h).
    public let status: Int32
    /// What the lab was doing when GSL reported the status.
    public let operation: String

    public init(status: Int32, operation: String) {
        self.status = status
        self.operation = operation
    }

    public var description: String {
        let text = gsl_strerror(status).map { String(cString: $0) } ?? "unknown GSL status"
        return "GSL error \(status) in \(operation): \(text)"
    }

    /// Throws when `status` is not `GSL_SUCCESS`.
    @inlinable
    public static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws {
        if status != 0 { throw GSLError(status: status, operation: operation()) }
    }
}

/// One-time process set-up of GSL.
///
/// GSL's default error handler calls `abort()`. The lab switches it off exactly once (the first time any
/// Stochastics entry point is used) and checks every status code instead.
public enum GSL {
    private static let setUp: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    /// Ensures the aborting handler is off. Cheap after the first call.
    @inline(__always)
    public static func prepare() { _ = setUp }

    /// The version of the GSL library linked at run time (`gsl_version`, e.g. "2.7.1"), for manifest.json.
    public static var version: String { cgsl_version().map { String(cString: $0) } ?? "unknown" }
}

/// A statistical routine was called with arguments outside its domain (empty sample, p outside [0,1], …).
public struct StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
