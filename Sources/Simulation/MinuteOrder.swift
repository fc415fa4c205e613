import OnboardingEngine

/// Orders one day's items by minute, keeping the given order among items of the same minute: a counting sort
/// over the day's 1,440 minutes, O(n). Arrivals (drawn in index order) and scheduled events (appended in
/// sequence order) come out exactly as sorting them by (minute, index) or (minute, sequence) would.
enum MinuteOrder {
    static func sorted<T>(_ items: some RandomAccessCollection<T>, day: Int, minute: (T) -> Minute) -> [T] {
        guard items.count > 1 else { return Array(items) }
        let dayStart = day * Clock.minutesPerDay
        var starts = [Int](repeating: 0, count: Clock.minutesPerDay + 1)
        for item in items { starts[minute(item) - dayStart + 1] += 1 }
        for m in 0..<Clock.minutesPerDay { starts[m + 1] += starts[m] }
        var ordered = Array(items)
        for item in items {
            let m = minute(item) - dayStart
            ordered[starts[m]] = item
            starts[m] += 1
        }
        return ordered
    }
}
