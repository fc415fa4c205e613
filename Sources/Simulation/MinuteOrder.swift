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
        // Written once into fresh storage: a copy of `items` overwritten in place would copy it twice (the copy
        // shares an array's buffer until the first write).
        return [T](unsafeUninitializedCapacity: items.count) { buffer, initialized in
            for item in items {
                let m = minute(item) - dayStart
                (buffer.baseAddress! + starts[m]).initialize(to: item)
                starts[m] += 1
            }
            initialized = items.count
        }
    }
}
