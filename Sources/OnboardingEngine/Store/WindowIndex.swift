/// The memory store's incremental view of the learning window: per (persona, presented steps) and per signup
/// day, the integer totals the nightly aggregation needs.
///
/// A user contributes to exactly one bucket; every change of a user's aggregated fields removes the old
/// contribution and adds the new one, so the totals always equal a scan of the users. Each signup day has two
/// buckets, the day's first minute and the rest, because the window (`assigned_at > now − W·1440`) and the
/// maturity cut-offs (`now − assigned_at > 7·1440`, `> 30·1440`) fall exactly on a day's first minute when
/// `now` is a day boundary. The nightly job then sums O(days × groups) buckets instead of scanning O(users).
struct WindowIndex {
    struct Key: Hashable {
        var persona: Int32
        var steps: Int32
    }

    struct Bucket {
        var count = 0
        var activated = 0
        var retained = 0
        var timeSum = 0
        var timeCount = 0
        var variants: [Int32: Int] = [:]

        var isEmpty: Bool { count == 0 }
    }

    /// Bucket id of a signup minute: 2·day for the day's first minute, 2·day + 1 for the rest.
    @inline(__always)
    static func bucketId(_ minute: Minute) -> Int {
        let day = Clock.day(of: minute)
        return 2 * day + (minute == day * Clock.minutesPerDay ? 0 : 1)
    }

    private(set) var groups: [Key: [Int: Bucket]] = [:]

    mutating func add(_ u: MemoryStore.UserRecord) { apply(u, sign: 1) }
    mutating func remove(_ u: MemoryStore.UserRecord) { apply(u, sign: -1) }

    private mutating func apply(_ u: MemoryStore.UserRecord, sign: Int) {
        let key = Key(persona: u.persona, steps: u.stepsIndex)
        let id = Self.bucketId(u.assignedAt)
        var bucket = groups[key]?[id] ?? Bucket()
        bucket.count += sign
        if u.activated7d {
            bucket.activated += sign
            if u.timeToFirstWin >= 0 {
                bucket.timeSum += sign * u.timeToFirstWin
                bucket.timeCount += sign
            }
        }
        if u.retained30d { bucket.retained += sign }
        let v = bucket.variants[u.variant, default: 0] + sign
        bucket.variants[u.variant] = v == 0 ? nil : v
        groups[key, default: [:]][id] = bucket.isEmpty ? nil : bucket
        if groups[key]?.isEmpty == true { groups[key] = nil }
    }

    /// The accumulators of users with `assignedAt > since`, maturity measured at `now`, identical to adding them
    /// one by one; nil unless both are day boundaries (the caller then scans the users).
    func accumulate(since: Minute, now: Minute) -> [Key: FlowAccumulator<Int32>]? {
        guard now == Clock.day(of: now) * Clock.minutesPerDay, since == Clock.day(of: since) * Clock.minutesPerDay
        else { return nil }
        // `since` is a day's first minute (even bucket id), which the window excludes.
        let firstIncluded = Self.bucketId(since) + 1
        func minutes(_ id: Int) -> ClosedRange<Minute> {
            let dayStart = (id >> 1) * Clock.minutesPerDay
            return id & 1 == 0 ? dayStart...dayStart : (dayStart + 1)...(dayStart + Clock.minutesPerDay - 1)
        }
        /// Whether every user of the bucket is older than `threshold` (strictly, as `FlowAccumulator.add`); nil
        /// when the bucket straddles it (impossible at a day boundary, checked anyway).
        func mature(_ id: Int, _ threshold: Minute) -> Bool? {
            let range = minutes(id)
            let minAge = now - range.upperBound
            let maxAge = now - range.lowerBound
            if minAge > threshold { return true }
            return maxAge <= threshold ? false : nil
        }
        var result: [Key: FlowAccumulator<Int32>] = [:]
        for (key, buckets) in groups {
            var acc = FlowAccumulator<Int32>()
            for (id, b) in buckets where id >= firstIncluded {
                guard let m7 = mature(id, FlowAccumulator<Int32>.sevenDays),
                    let m30 = mature(id, FlowAccumulator<Int32>.thirtyDays)
                else {
                    return nil
                }
                acc.count += b.count
                acc.activated += b.activated
                acc.retained += b.retained
                acc.timeSum += b.timeSum
                acc.timeCount += b.timeCount
                for (v, c) in b.variants { acc.variants[v, default: 0] += c }
                if m7 {
                    acc.mature7 += b.count
                    acc.activatedMature += b.activated
                }
                if m30 {
                    acc.mature30 += b.count
                    acc.retainedMature += b.retained
                }
            }
            if acc.count > 0 { result[key] = acc }
        }
        return result
    }
}
