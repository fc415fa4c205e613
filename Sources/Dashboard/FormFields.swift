import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (the HTML forms of the dashboard).
struct FormFields: Sendable, Equatable {
    var values: [String: String]

    /// Parses `a=1&b=x+y`; a name given twice keeps its first value. Throws 400 for malformed percent-encoding.
    init(parsing body: String) throws {
        var values: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
        }
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name] }

    static func decode(_ text: Substring) throws -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        guard let decoded = spaced.removingPercentEncoding else {
            throw DashboardError(.badRequest, "malformed form field '\(text)'")
        }
        return decoded
    }
}
