/// The memory store's index from user id to sequence number: an open-addressing table of integers (linear
/// probing) whose keys are read from the user records themselves, so an entry costs 8 bytes at a load factor
/// between 0.35 and 0.7 — a third of `[String: Int]`, which also keeps a copy of every key — and inserting checks
/// for a duplicate and places the entry with one hash of the id. Each slot packs the sequence number (low 40
/// bits) with 23 bits of the id's hash, so a probe compares ids only when those bits match.
///
/// Deleted entries become tombstones (users leave in signup order at compaction); the table is rebuilt from
/// the live entries when tombstones and entries together pass the load limit.
struct UserIndex {
    private static let empty = -1
    private static let tombstone = -2
    private static let seqBits = 40
    private static let seqMask = (1 << seqBits) - 1

    /// The slot value of `seq` for an id of hash `hash`: non-negative, tag in bits 40–62.
    @inline(__always)
    private static func entry(_ seq: Int, hash: Int) -> Int { seq | ((hash >> 41) & 0x7F_FFFF) << seqBits }

    private var slots = [Int](repeating: UserIndex.empty, count: 16)
    private var live = 0
    private var tombstones = 0

    /// The sequence number stored for `id`; `idOf` gives the id of a stored sequence number.
    func find(_ id: String, idOf: (Int) -> String) -> Int? {
        let mask = slots.count - 1
        let hash = id.hashValue
        let tagged = Self.entry(0, hash: hash)
        var i = hash & mask
        while true {
            let s = slots[i]
            if s == Self.empty { return nil }
            if s >= 0 && s & ~Self.seqMask == tagged && idOf(s & Self.seqMask) == id { return s & Self.seqMask }
            i = (i + 1) & mask
        }
    }

    /// Stores `seq` for `id` unless `id` is present; returns the sequence number already stored, or nil.
    mutating func insert(_ id: String, seq: Int, idOf: (Int) -> String) -> Int? {
        if (live + tombstones + 1) * 10 > slots.count * 7 { rebuild(idOf: idOf) }
        precondition(seq >= 0 && seq <= Self.seqMask, "user sequence number out of range")
        let mask = slots.count - 1
        let hash = id.hashValue
        let tagged = Self.entry(0, hash: hash)
        var i = hash & mask
        var reusable: Int?
        while true {
            let s = slots[i]
            if s == Self.empty { break }
            if s == Self.tombstone {
                if reusable == nil { reusable = i }
            } else if s & ~Self.seqMask == tagged && idOf(s & Self.seqMask) == id {
                return s & Self.seqMask
            }
            i = (i + 1) & mask
        }
        if let r = reusable {
            slots[r] = tagged | seq
            tombstones -= 1
        } else {
            slots[i] = tagged | seq
        }
        live += 1
        return nil
    }

    /// Removes the entry of `id` (stored as `seq`).
    mutating func remove(_ id: String, seq: Int) {
        let mask = slots.count - 1
        var i = id.hashValue & mask
        while slots[i] != Self.empty {
            if slots[i] >= 0 && slots[i] & Self.seqMask == seq {
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
            var i = idOf(s & Self.seqMask).hashValue & mask
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
