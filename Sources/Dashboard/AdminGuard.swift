import Foundation

/// Who may use the admin actions (set ε, run the learning job): the holder of the admin token, on a request
/// that also carries the page's CSRF token when it is a form post.
///
/// The admin token comes from `--admin-token-file`; without one the admin actions are refused (403). It is
/// accepted from the `Authorization: Bearer …` or `X-Admin-Token` header, or the form field `admin_token`.
/// A form post must also carry `csrf_token`, which this process generated at start and puts in every form it
/// serves: another site cannot read the page, so it cannot forge the field. Header-authenticated requests (not
/// sendable cross-site without CORS, which the server never grants) need no CSRF token. Comparisons take time
/// independent of where the strings differ.
public struct AdminGuard: Sendable {
    /// The token admin actions require; nil disables them.
    public let adminToken: String?
    /// The CSRF token of this server process.
    public let csrfToken: String

    /// The fewest characters an admin token may have.
    public static let minimumTokenLength = 16

    public init(adminToken: String?, csrfToken: String = AdminGuard.randomToken()) {
        self.adminToken = adminToken
        self.csrfToken = csrfToken
    }

    /// 32 random bytes as 64 hexadecimal digits (the system's cryptographic generator).
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<64).map { _ in digits[Int(generator.next() % 16)] })
    }

    /// The token file's contents without surrounding white space, checked for length.
    public static func token(fromFileContents text: String, path: String) throws -> String {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= minimumTokenLength else {
            throw DashboardError(
                .internalServerError,
                "\(path): the admin token must have at least \(minimumTokenLength) characters, found \(token.count)")
        }
        guard !token.contains(where: { $0.isWhitespace }) else {
            throw DashboardError(.internalServerError, "\(path): the admin token must be one word (no white space)")
        }
        return token
    }

    /// Where the request's credentials came from.
    public struct Credentials: Sendable {
        /// `Authorization: Bearer` or `X-Admin-Token`.
        public var headerToken: String?
        /// The `admin_token` form field.
        public var formToken: String?
        /// The `csrf_token` form field.
        public var formCSRF: String?

        public init(headerToken: String?, formToken: String?, formCSRF: String?) {
            self.headerToken = headerToken
            self.formToken = formToken
            self.formCSRF = formCSRF
        }
    }

    /// Throws 403 when admin actions are disabled or a form post lacks the CSRF token, 401 when the admin token
    /// is missing or wrong.
    public func authorize(_ credentials: Credentials) throws {
        guard let adminToken else {
            throw DashboardError(.forbidden, "admin actions are disabled: start the server with --admin-token-file")
        }
        if let header = credentials.headerToken {
            guard Self.constantTimeEqual(header, adminToken) else {
                throw DashboardError(.unauthorized, "the admin token is wrong")
            }
            return
        }
        guard let csrf = credentials.formCSRF, Self.constantTimeEqual(csrf, csrfToken) else {
            throw DashboardError(.forbidden, "the form's CSRF token is missing or stale: reload the page")
        }
        guard let token = credentials.formToken, !token.isEmpty else {
            throw DashboardError(.unauthorized, "the admin token is required")
        }
        guard Self.constantTimeEqual(token, adminToken) else {
            throw DashboardError(.unauthorized, "the admin token is wrong")
        }
    }

    /// Whether `a == b`, in time that depends on the lengths only.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        if x.count != y.count { difference |= 1 }
        for i in 0..<max(x.count, y.count) {
            let p = i < x.count ? x[i] : 0
            let q = i < y.count ? y[i] : 0
            difference |= p ^ q
        }
        return difference == 0
    }
}
