/// Engine minutes as ISO 8601 UTC text (`2026-11-27T09:30:00Z`): how the SQLite store writes times, so that any
/// SQL client reads them, and fixed-width so that text order is time order.
///
/// Minute 0 is 1970-01-01T00:00:00Z (on a simulation database, the scenario start). Only years 0000–9999 have
/// this fixed-width form (``iso8601Range``). Parsing and formatting are done here, not with `DateFormatter`, so
/// they do not depend on the locale or the time zone and cost a few dozen instructions per value.
extension Clock {
    /// The minutes that have a `YYYY-MM-DDTHH:MM:SSZ` form: 0000-01-01T00:00Z … 9999-12-31T23:59Z.
    public static let iso8601Range: ClosedRange<Minute> =
        daysFromCivil(year: 0, month: 1, day: 1)
        * minutesPerDay...(daysFromCivil(year: 10000, month: 1, day: 1) * minutesPerDay - 1)

    /// `YYYY-MM-DDTHH:MM:00Z`, or nil outside ``iso8601Range``.
    public static func iso8601(_ minute: Minute) -> String? {
        guard iso8601Range.contains(minute) else { return nil }
        let day = Clock.day(of: minute)
        let ofDay = minute - day * minutesPerDay
        let (year, month, dayOfMonth) = civilFromDays(day)
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int, at index: Int, digits: Int) {
            var v = value
            for k in stride(from: index + digits - 1, through: index, by: -1) {
                bytes[k] = UInt8(0x30 + v % 10)
                v /= 10
            }
        }
        put(year, at: 0, digits: 4)
        put(month, at: 5, digits: 2)
        put(dayOfMonth, at: 8, digits: 2)
        put(ofDay / 60, at: 11, digits: 2)
        put(ofDay % 60, at: 14, digits: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The minute of `YYYY-MM-DDTHH:MM:SSZ` (seconds are dropped: the engine clock counts whole minutes), or nil
    /// when the text is not exactly that form or names no valid date.
    public static func minute(iso8601 text: String) -> Minute? {
        var text = text
        return text.withUTF8 { bytes -> Minute? in
            guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
                bytes[16] == 0x3A, bytes[19] == 0x5A
            else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for k in from..<(from + count) {
                    let b = bytes[k]
                    guard b >= 0x30 && b <= 0x39 else { return nil }
                    value = value * 10 + Int(b - 0x30)
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24,
                minute < 60, second < 60
            else { return nil }
            return daysFromCivil(year: year, month: month, day: day) * minutesPerDay + hour * 60 + minute
        }
    }

    // MARK: Calendar arithmetic (proleptic Gregorian; H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")

    /// Days from 1970-01-01 to the given date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day counted from 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
