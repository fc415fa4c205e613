/// Short `YYYY-MM-DDTHH:MMZ` forms for people (command-line output, the dashboard); the database form is
/// ``Clock/iso8601(_:)``.
extension Clock {
    /// `YYYY-MM-DDTHH:MMZ` of a minute counted from 1970-01-01T00:00Z, or the bare integer outside years 0000–9999.
    public static func iso(_ minute: Minute) -> String {
        let day = day(of: minute)
        let ofDay = minute - day * minutesPerDay
        guard let date = isoDate(day: day) else { return String(minute) }
        return "\(date)T\(twoDigits(ofDay / 60)):\(twoDigits(ofDay % 60))Z"
    }

    /// `YYYY-MM-DD` of a day counted from 1970-01-01, or nil outside years 0000–9999.
    public static func isoDate(day: Int) -> String? {
        let (year, month, dayOfMonth) = civilFromDays(day)
        guard (0...9999).contains(year) else { return nil }
        let y = String(year)
        return String(repeating: "0", count: 4 - y.count) + y + "-" + twoDigits(month) + "-" + twoDigits(dayOfMonth)
    }

    // Calendar arithmetic (daysFromCivil, civilFromDays, daysInMonth): Clock+ISO8601.swift.

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
