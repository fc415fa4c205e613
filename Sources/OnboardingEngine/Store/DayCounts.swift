/// The memory store's signups and activations per UTC day of assignment (the activation trend), in day order.
///
/// Users arrive in time order, so nearly every change is to one of the last few days: a lookup scans back from
/// the newest day a few steps before it bisects, and a new day is usually appended. It replaces a dictionary,
/// which hashed the day for every assignment and every activation.
struct DayCounts {
    typealias Counts = (total: Int, activated: Int)

    private var days: [Int] = []
    private var counts: [Counts] = []

    /// The position of `day`, or where it would be inserted to keep the days in order.
    private func search(_ day: Int) -> (index: Int, found: Bool) {
        var k = days.count
        for _ in 0..<8 {
            guard k > 0 else { return (0, false) }
            let last = days[k - 1]
            if last == day { return (k - 1, true) }
            if last < day { return (k, false) }
            k -= 1
        }
        // Every day from k on is later than `day`: bisect the ones before.
        var low = 0
        var high = k
        while low < high {
            let middle = (low + high) / 2
            if days[middle] < day { low = middle + 1 } else { high = middle }
        }
        return (low, low < k && days[low] == day)
    }

    /// The counts of `day`; setting nil removes the day (a rolled-back first assignment of the day).
    subscript(day: Int) -> Counts? {
        get {
            let s = search(day)
            return s.found ? counts[s.index] : nil
        }
        set {
            let s = search(day)
            switch (s.found, newValue) {
            case (true, let value?): counts[s.index] = value
            case (true, nil):
                days.remove(at: s.index)
                counts.remove(at: s.index)
            case (false, let value?):
                days.insert(day, at: s.index)
                counts.insert(value, at: s.index)
            case (false, nil): break
            }
        }
    }

    /// Adds to the counts of `day` (a day not yet counted starts at zero).
    mutating func add(day: Int, total: Int = 0, activated: Int = 0) {
        let s = search(day)
        if s.found {
            counts[s.index].total += total
            counts[s.index].activated += activated
        } else {
            days.insert(day, at: s.index)
            counts.insert((total, activated), at: s.index)
        }
    }

    /// The counted days within `range`, in order.
    func points(in range: ClosedRange<Int>) -> [TrendPoint] {
        var k = search(range.lowerBound).index
        var result: [TrendPoint] = []
        while k < days.count && days[k] <= range.upperBound {
            result.append(TrendPoint(day: days[k], total: counts[k].total, activated: counts[k].activated))
            k += 1
        }
        return result
    }
}
