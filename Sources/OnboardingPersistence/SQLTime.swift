import Foundation
import OnboardingEngine

/// Engine minutes ↔ the ISO 8601 UTC text the v2 schema stores (``Clock/iso8601(_:)``).
enum SQLTime {
    /// The text of a minute written to the database; a minute outside years 0000–9999 is refused (nothing written).
    static func text(_ minute: Minute) throws -> String {
        guard let text = Clock.iso8601(minute) else {
            throw EngineError.invalidArgument(
                "time \(minute) (minutes since 1970-01-01T00:00Z) is outside years 0000–9999, which the database cannot store"
            )
        }
        return text
    }

    static func text(_ minute: Minute?) throws -> String? {
        guard let minute else { return nil }
        return try text(minute)
    }

    /// A bound for comparing stored times as text: minutes outside years 0000–9999 become a text below (`""`) or
    /// above (`"~"`) every stored time, so a query never fails on a far-away bound.
    static func bound(_ minute: Minute) -> String {
        if let text = Clock.iso8601(minute) { return text }
        return minute < Clock.iso8601Range.lowerBound ? "" : "~"
    }

    /// The minute of a stored time; anything else is a ``PersistenceError/corruptRow``.
    static func minute(_ text: String, table: String, key: String, column: String) throws -> Minute {
        guard let minute = Clock.minute(iso8601: text) else {
            throw PersistenceError.corruptRow(
                table: table, key: key, column: column,
                reason: "'\(text)' is not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)")
        }
        return minute
    }
}

extension SQLTime {
    /// A wall-clock instant as `YYYY-MM-DDTHH:MM:SSZ` (job leases; whole seconds, clamped to years 0000–9999).
    static func text(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.isFinite ? Int(date.timeIntervalSince1970.rounded(.down)) : 0
        let range = Clock.iso8601Range
        let clamped = min(max(seconds, range.lowerBound * 60), range.upperBound * 60 + 59)
        let minute = floorDiv(clamped, 60)
        let second = clamped - minute * 60
        let base = Clock.iso8601(minute) ?? "0000-01-01T00:00:00Z"
        return String(base.dropLast(3)) + (second < 10 ? "0\(second)Z" : "\(second)Z")
    }

    /// The instant of a `YYYY-MM-DDTHH:MM:SSZ` text, or nil.
    static func date(_ text: String) -> Date? {
        guard let minute = Clock.minute(iso8601: text), let second = Int(text.dropFirst(17).prefix(2)) else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(minute * 60 + second))
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}
