/// The memory store's incremental view of the learning window: per (persona, presented steps) and per signup
/// day, the integer totals the nightly aggregation needs.
///
/// A user contributes to exactly one bucket; every change of a user's aggregated fields removes the old
/// contribution and adds the new one, so the totals always equal a scan of the users. Each signup day has two
/// buckets, the day's first minute and the rest, because the window (`assigned_at > now − W·1440`) and the
/// maturity cut-offs (`now − assigned_at > 7·1440`, `> 30·1440`) fall exactly on a day's first minute when
/// `now` is a day boundary. The nightly job then sums O(days × groups) buckets instead of scanning O(users).
///
/// Groups are numbered once (``slot(_:)``) and every user's profile carries its group's slot; a group's buckets
/// are an array over consecutive bucket ids, so adding, removing or updating a user hashes nothing.
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
        /// Users per variant (few per group: a linear list beats a dictionary).
        var variants: [(variant: Int32, count: Int)] = []

        var isEmpty: Bool { count == 0 }

        mutating func addVariant(_ variant: Int32, _ sign: Int) { WindowIndex.add(sign, of: variant, to: &variants) }

        /// Adds (sign 1) or removes (−1) a user's aggregated fields, the variant included or not.
        mutating func contribute(_ u: Contribution, _ sign: Int, variant: Bool) {
            count += sign
            if u.activated7d {
                activated += sign
                if let t = u.timeToFirstWin {
                    timeSum += sign * t
                    timeCount += sign
                }
            }
            if u.retained30d { retained += sign }
            if variant { addVariant(u.variant, sign) }
        }
    }

    /// Adds `count` users of `variant` (negative: removes them) to a list of users per variant, dropping a variant
    /// whose count reaches 0.
    @inline(__always)
    static func add(_ count: Int, of variant: Int32, to list: inout [(variant: Int32, count: Int)]) {
        if let i = list.firstIndex(where: { $0.variant == variant }) {
            list[i].count += count
            if list[i].count == 0 { list.remove(at: i) }
        } else {
            list.append((variant, count))
        }
    }

    /// What one user adds to the totals: its group's slot, variant, signup and aggregated outcomes.
    struct Contribution {
        var slot: Int32
        var variant: Int32
        var assignedAt: Minute
        var activated7d: Bool
        var retained30d: Bool
        var timeToFirstWin: Minute?
    }

    /// Bucket id of a signup minute: 2·day for the day's first minute, 2·day + 1 for the rest.
    @inline(__always)
    static func bucketId(_ minute: Minute) -> Int {
        let day = Clock.day(of: minute)
        return 2 * day + (minute == day * Clock.minutesPerDay ? 0 : 1)
    }

    private var slots: [Key: Int32] = [:]
    private var keys: [Key] = []
    /// Per slot, its buckets by bucket id.
    private var buckets: [Buckets] = []

    /// One group's buckets: a run of consecutive bucket ids from `base`, the empty ones at the front trimmed
    /// (users leave in signup order, so the run moves forward with the window). An id more than
    /// ``Buckets/maxGap`` buckets outside the run (minutes far apart, as a hand-written history may use) goes to
    /// `far` instead, so the run never grows with the distance between signups.
    struct Buckets {
        static let maxGap = 4096
        var base = 0
        var run: [Bucket] = []
        var far: [Int: Bucket] = [:]

        /// Changes the bucket `id`, making room for it first.
        @inline(__always)
        mutating func update(_ id: Int, _ body: (inout Bucket) -> Void) {
            let inFar = !far.isEmpty && far[id] != nil
            if run.isEmpty && !inFar {
                base = id
            } else if id < base && base - id <= Self.maxGap && !inFar {
                run.insert(contentsOf: repeatElement(Bucket(), count: base - id), at: 0)
                base = id
            }
            let k = id - base
            guard k >= 0 && k < run.count + Self.maxGap && !inFar else {
                body(&far[id, default: Bucket()])
                if far[id]?.isEmpty == true { far[id] = nil }
                return
            }
            if k >= run.count { run.append(contentsOf: repeatElement(Bucket(), count: k - run.count + 1)) }
            body(&run[k])
            if k == 0 && run[0].isEmpty {
                var empty = 1
                while empty < run.count && run[empty].isEmpty { empty += 1 }
                run.removeFirst(empty)
                base += empty
            }
        }

        /// Calls `body` with each non-empty bucket and its id, the run in id order then the far ones, until it
        /// returns false; false when it did. Reads the buckets in place (no copy of the run, as a list would be).
        func forEachNonEmpty(_ body: (Int, borrowing Bucket) -> Bool) -> Bool {
            for k in run.indices where !run[k].isEmpty {
                guard body(base + k, run[k]) else { return false }
            }
            for (id, bucket) in far {
                guard body(id, bucket) else { return false }
            }
            return true
        }
    }

    /// The slot of a (persona, steps) group, numbered on first use.
    mutating func slot(_ key: Key) -> Int32 {
        if let s = slots[key] { return s }
        let s = Int32(keys.count)
        slots[key] = s
        keys.append(key)
        buckets.append(Buckets())
        return s
    }

    mutating func add(_ u: Contribution) { apply(u, sign: 1) }
    mutating func remove(_ u: Contribution) { apply(u, sign: -1) }

    private mutating func apply(_ u: Contribution, sign: Int) {
        let id = Self.bucketId(u.assignedAt)
        let slot = Int(u.slot)
        buckets[slot].update(id) { $0.contribute(u, sign, variant: true) }
    }

    /// Replaces a user's contribution by its updated record's in one bucket access when group, signup and
    /// variant are unchanged (an outcome), else removes and adds.
    mutating func replace(_ old: Contribution, with new: Contribution) {
        guard old.slot == new.slot, old.assignedAt == new.assignedAt, old.variant == new.variant else {
            remove(old)
            add(new)
            return
        }
        let id = Self.bucketId(new.assignedAt)
        let slot = Int(new.slot)
        buckets[slot].update(id) {
            $0.contribute(old, -1, variant: false)
            $0.contribute(new, 1, variant: false)
        }
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
        // A group's variants, first seen first: a few per group, so a list, and one dictionary write per variant
        // at the end instead of one per bucket.
        var variants: [(variant: Int32, count: Int)] = []
        for (slot, key) in keys.enumerated() {
            var acc = FlowAccumulator<Int32>()
            variants.removeAll(keepingCapacity: true)
            let complete = buckets[slot].forEachNonEmpty { id, b in
                guard id >= firstIncluded else { return true }
                guard let m7 = mature(id, FlowAccumulator<Int32>.sevenDays),
                    let m30 = mature(id, FlowAccumulator<Int32>.thirtyDays)
                else {
                    return false
                }
                acc.count += b.count
                acc.activated += b.activated
                acc.retained += b.retained
                acc.timeSum += b.timeSum
                acc.timeCount += b.timeCount
                for (v, c) in b.variants { Self.add(c, of: v, to: &variants) }
                if m7 {
                    acc.mature7 += b.count
                    acc.activatedMature += b.activated
                }
                if m30 {
                    acc.mature30 += b.count
                    acc.retainedMature += b.retained
                }
                return true
            }
            guard complete else { return nil }
            for (v, c) in variants { acc.variants[v] = c }
            if acc.count > 0 { result[key] = acc }
        }
        return result
    }
}
