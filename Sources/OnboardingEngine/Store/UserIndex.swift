/// The memory store's index from user id to sequence number: an open-addressing table of integers (linear
/// probing) whose keys are read from the user records themselves, so an entry costs 8 bytes at a load factor
/// between 0.35 and 0.7 — a third of `[String: Int]`, which also keeps a copy of every key — and inserting checks
/// for a duplicate and places the entry with one hash of the id.
///
/// Each slot packs the sequence number (low 36 bits) with the low 27 bits of the id's hash (the *tag*; the hash is
/// ``hash(_:)``, which keeps users numbered in sequence close together). A probe
/// compares ids only when the tags match, and since a slot's home position is its hash modulo the table size,
/// the tag gives it back without hashing the id again (tables of up to 2²⁷ slots; larger ones re-hash ids).
/// Deleting shifts the following entries of the probe run back (no tombstones), so the table is rebuilt only
/// when it grows.
struct UserIndex {
    private static let empty = -1
    private static let seqBits = 36
    private static let seqMask = (1 << seqBits) - 1
    private static let tagBits = 27
    private static let tagMask = (1 << tagBits) - 1

    private var slots = [Int](repeating: UserIndex.empty, count: 16)
    private var live = 0

    @inline(__always)
    private static func tag(_ hash: Int) -> Int { (hash & tagMask) << seqBits }

    /// The index's hash of an id. An id ending in a decimal number (`u17`, `user-0042`) puts the 8 consecutive
    /// numbers of its prefix in one run of 8 slots, so users numbered in signup order (the simulator's) cost one
    /// cache miss per 8 inserts and per 8 removals instead of one each; the runs of 8 are scattered by a 64-bit
    /// mix of prefix and number. Not keyed (unlike `hashValue`): the memory store holds simulated users, not
    /// untrusted input; a deliberate collision only makes probes longer.
    static func hash(_ id: String) -> Int {
        var id = id
        return id.withUTF8 { bytes -> Int in
            var end = bytes.count
            var number: UInt64 = 0
            var scale: UInt64 = 1
            var digits: UInt64 = 0
            while end > 0, digits < 18, bytes[end - 1] >= 0x30, bytes[end - 1] <= 0x39 {
                number &+= UInt64(bytes[end - 1] - 0x30) &* scale
                scale &*= 10
                end -= 1
                digits += 1
            }
            // FNV-1a over the prefix, then the number of digits (`u01` and `u1` differ).
            var prefix: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in 0..<end { prefix = (prefix ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
            prefix ^= digits &* 0x9E37_79B9_7F4A_7C15
            guard digits > 0 else { return Int(bitPattern: UInt(mix(prefix))) }
            let run = mix(prefix &+ (number >> 3) &* 0xBF58_476D_1CE4_E5B9)
            return Int(bitPattern: UInt((run & ~7) | (number & 7)))
        }
    }

    /// The finaliser of SplitMix64: every input bit moves about half the output bits.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The home position of a stored slot value in a table of `mask + 1` slots.
    @inline(__always)
    private static func home(_ s: Int, mask: Int, idOf: (Int) -> String) -> Int {
        mask <= tagMask ? (s >> seqBits) & mask : hash(idOf(s & seqMask)) & mask
    }

    /// The sequence number stored for `id`; `idOf` gives the id of a stored sequence number.
    func find(_ id: String, idOf: (Int) -> String) -> Int? {
        let mask = slots.count - 1
        let hash = Self.hash(id)
        let tagged = Self.tag(hash)
        var i = hash & mask
        while true {
            let s = slots[i]
            if s == Self.empty { return nil }
            if s & ~Self.seqMask == tagged && idOf(s & Self.seqMask) == id { return s & Self.seqMask }
            i = (i + 1) & mask
        }
    }

    /// Stores `seq` for `id` unless `id` is present; returns the sequence number already stored, or nil.
    mutating func insert(_ id: String, seq: Int, idOf: (Int) -> String) -> Int? {
        if (live + 1) * 10 > slots.count * 7 { grow(idOf: idOf) }
        precondition(seq >= 0 && seq <= Self.seqMask, "user sequence number out of range")
        let mask = slots.count - 1
        let hash = Self.hash(id)
        let tagged = Self.tag(hash)
        var i = hash & mask
        while true {
            let s = slots[i]
            if s == Self.empty { break }
            if s & ~Self.seqMask == tagged && idOf(s & Self.seqMask) == id { return s & Self.seqMask }
            i = (i + 1) & mask
        }
        slots[i] = tagged | seq
        live += 1
        return nil
    }

    /// Removes the entry of `id` (stored as `seq`), moving back the entries after it that probed past it.
    mutating func remove(_ id: String, seq: Int, idOf: (Int) -> String) {
        let mask = slots.count - 1
        let start = Self.hash(id) & mask
        // In place: one uniqueness check for the whole shift rather than one per slot written.
        let removed = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            var i = start
            while slots[i] != Self.empty {
                if slots[i] & Self.seqMask == seq { break }
                i = (i + 1) & mask
            }
            guard slots[i] != Self.empty else { return false }
            var j = i
            while true {
                j = (j + 1) & mask
                let s = slots[j]
                if s == Self.empty { break }
                let k = Self.home(s, mask: mask, idOf: idOf)
                // The entry at j may fill the hole at i unless its home lies cyclically in (i, j].
                let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
                if stays { continue }
                slots[i] = s
                i = j
            }
            slots[i] = Self.empty
            return true
        }
        if removed { live -= 1 }
    }

    /// Re-inserts the entries into a table twice as large.
    private mutating func grow(idOf: (Int) -> String) {
        let old = slots
        slots = [Int](repeating: Self.empty, count: old.count * 2)
        let mask = slots.count - 1
        for s in old where s != Self.empty {
            var i = Self.home(s, mask: mask, idOf: idOf)
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = s
        }
    }
}
