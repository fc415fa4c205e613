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
