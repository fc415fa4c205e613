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

    // MARK: Calendar arithmetic (proleptic Gregorian; H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")

    /// Days from 1970-01-01 to the given civil date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day counted from 1970-01-01.
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

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
