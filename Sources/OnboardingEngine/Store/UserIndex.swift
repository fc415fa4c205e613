/// The memory store's index from user id to sequence number: an open-addressing table of integers (linear
/// probing) whose keys are read from the user records themselves, so an entry costs 8 bytes at a load factor
/// between 0.35 and 0.7 — a third of `[String: Int]`, which also keeps a copy of every key — and inserting checks
/// for a duplicate and places the entry with one hash of the id.
///
/// Deleted entries become tombstones (users leave in signup order at compaction); the table is rebuilt from
/// the live entries when tombstones and entries together pass the load limit.
struct UserIndex {
    private static let empty = -1
    private static let tombstone = -2

    private var slots = [Int](repeating: UserIndex.empty, count: 16)
    private var live = 0
    private var tombstones = 0

    /// The sequence number stored for `id`; `idOf` gives the id of a stored sequence number.
    func find(_ id: String, idOf: (Int) -> String) -> Int? {
        let mask = slots.count - 1
        var i = id.hashValue & mask
        while true {
            let s = slots[i]
            if s == Self.empty { return nil }
            if s >= 0 && idOf(s) == id { return s }
            i = (i + 1) & mask
        }
    }

    /// Stores `seq` for `id` unless `id` is present; returns the sequence number already stored, or nil.
    mutating func insert(_ id: String, seq: Int, idOf: (Int) -> String) -> Int? {
        if (live + tombstones + 1) * 10 > slots.count * 7 { rebuild(idOf: idOf) }
        let mask = slots.count - 1
        var i = id.hashValue & mask
        var reusable: Int?
        while true {
            let s = slots[i]
            if s == Self.empty { break }
            if s == Self.tombstone {
                if reusable == nil { reusable = i }
            } else if idOf(s) == id {
                return s
            }
            i = (i + 1) & mask
        }
        if let r = reusable {
            slots[r] = seq
            tombstones -= 1
        } else {
            slots[i] = seq
        }
        live += 1
        return nil
    }

    /// Removes the entry of `id` (stored as `seq`).
    mutating func remove(_ id: String, seq: Int) {
        let mask = slots.count - 1
        var i = id.hashValue & mask
        while slots[i] != Self.empty {
            if slots[i] == seq {
                slots[i] = Self.tombstone
                live -= 1
                tombstones += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Re-inserts the live entries into a table sized for twice their number (at least 16 slots).
    private mutating func rebuild(idOf: (Int) -> String) {
        var capacity = 16
        while capacity * 7 < (live + 1) * 20 { capacity *= 2 }
        let old = slots
        slots = [Int](repeating: Self.empty, count: capacity)
        tombstones = 0
        let mask = capacity - 1
        for s in old where s >= 0 {
            var i = idOf(s).hashValue & mask
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
