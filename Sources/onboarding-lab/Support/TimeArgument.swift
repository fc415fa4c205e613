import OnboardingEngine

/// A moment of the engine clock given on the command line: whole minutes, or an ISO 8601 UTC timestamp.
///
/// The engine never reads the wall clock (SPEC §1.1), so every command that changes or reads time-dependent
/// state takes its time explicitly. On a real database the lab's clock counts minutes since 1970-01-01T00:00Z:
/// `2026-11-27T09:30:00Z`, `2026-11-27T09:30Z` and `29929530` name the same minute. Accepted forms:
/// - an integer (optionally signed): minutes of the engine clock, used as is (simulation databases count from
///   the scenario start);
/// - `YYYY-MM-DDTHH:MM[:SS]Z` (seconds, when present, must be `00`: the clock counts whole minutes);
/// - `YYYY-MM-DD`: midnight UTC of that day.
/// Parsing is done here, not with `DateFormatter`, so it does not depend on the locale or the time zone.
struct TimeArgument: Sendable, Equatable, CustomStringConvertible {
    /// Minutes of the engine clock.
    var minute: Minute

    init(minute: Minute) {
        self.minute = minute
    }

    /// One paragraph for `--help`.
    /// The accepted times: 1970-01-01T00:00Z (minute 0) to 9999-12-31T23:59Z, so that day arithmetic (windows,
    /// trends, ISO 8601 output) never overflows.
    static let range: ClosedRange<Minute> =
        0...(daysFromCivil(year: 9999, month: 12, day: 31) * Clock.minutesPerDay
        + Clock.minutesPerDay - 1)

    static let helpText =
        "Minutes of the engine clock (an integer), or an ISO 8601 UTC time such as 2026-11-27T09:30:00Z, "
        + "2026-11-27T09:30Z or 2026-11-27 (midnight), converted to minutes since 1970-01-01T00:00Z."

    /// Why a text is not a time.
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses one of the accepted forms (see the type's documentation).
    static func parse(_ text: String) throws -> TimeArgument {
        let trimmed = text.trimmingSpaces
        if let minutes = Int(trimmed) {
            guard range.contains(minutes) else {
                throw ParseError(
                    description:
                        "\(minutes) is out of range: the engine clock runs from \(range.lowerBound) "
                        + "(1970-01-01T00:00Z) to \(range.upperBound) (9999-12-31T23:59Z)")
            }
            return TimeArgument(minute: minutes)
        }
        if trimmed.first == "-" || trimmed.allSatisfy({ $0.isNumber }), !trimmed.isEmpty {
            throw ParseError(
                description:
                    "'\(trimmed)' is out of range: the engine clock runs from \(range.lowerBound) to \(range.upperBound)"
            )
        }
        let example =
            "expected minutes of the engine clock (e.g. 29929530) or an ISO 8601 UTC time (e.g. 2026-11-27T09:30:00Z)"
        guard trimmed.utf8.count >= 10, trimmed.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw ParseError(description: example)
        }
        let bytes = Array(trimmed.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for b in bytes[range] {
                guard (0x30...0x39).contains(b) else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), bytes[4] == UInt8(ascii: "-"), let month = number(5..<7),
            bytes[7] == UInt8(ascii: "-"), let day = number(8..<10)
        else { throw ParseError(description: example) }
        guard (1...12).contains(month) else { throw ParseError(description: "month \(month) is out of range (01–12)") }
        let monthLength = daysInMonth(year: year, month: month)
        guard (1...monthLength).contains(day) else {
            throw ParseError(
                description: "day \(day) is out of range for \(year)-\(twoDigits(month)) (01–\(monthLength))")
        }
        var minutes = daysFromCivil(year: year, month: month, day: day) * Clock.minutesPerDay
        if bytes.count == 10 {
            guard range.contains(minutes) else {
                throw ParseError(description: "\(trimmed) is before 1970-01-01, where the engine clock starts")
            }
            return TimeArgument(minute: minutes)
        }

        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = number(11..<13), bytes.count > 13, bytes[13] == UInt8(ascii: ":"), let minute = number(14..<16)
        else { throw ParseError(description: "\(example); the time of day is written THH:MM") }
        guard hour < 24 else { throw ParseError(description: "hour \(hour) is out of range (00–23)") }
        guard minute < 60 else { throw ParseError(description: "minute \(minute) is out of range (00–59)") }
        var index = 16
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let seconds = number(17..<19) else {
                throw ParseError(description: "\(example); seconds are written :SS")
            }
            guard seconds == 0 else {
                throw ParseError(description: "seconds must be 00: the engine clock counts whole minutes")
            }
            index = 19
        }
        guard index == bytes.count - 1, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") else {
            throw ParseError(description: "an ISO 8601 time must be UTC and end in Z (e.g. 2026-11-27T09:30Z)")
        }
        minutes += hour * 60 + minute
        guard range.contains(minutes) else {
            throw ParseError(description: "\(trimmed) is before 1970-01-01T00:00Z, where the engine clock starts")
        }
        return TimeArgument(minute: minutes)
    }

    /// `YYYY-MM-DDTHH:MMZ`, or the bare integer for minutes outside years 0000–9999.
    static func iso(_ minute: Minute) -> String { Clock.iso(minute) }

    /// `YYYY-MM-DD` of a day counted from 1970-01-01, or nil outside years 0000–9999.
    static func isoDate(day: Int) -> String? { Clock.isoDate(day: day) }

    var description: String { Self.iso(minute) }

    // MARK: Calendar arithmetic (one implementation: ``Clock``'s)

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        Clock.daysFromCivil(year: year, month: month, day: day)
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) { Clock.civilFromDays(days) }

    static func daysInMonth(year: Int, month: Int) -> Int { Clock.daysInMonth(year: year, month: month) }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
