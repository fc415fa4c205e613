/// Values numbered in order of first appearance (32-bit indices), for the memory store's names and step
/// sequences. Tables only grow.
struct InternTable<Value: Hashable> {
    private var values: [Value] = []
    private var index: [Value: Int32] = [:]

    subscript(i: Int32) -> Value { values[Int(i)] }

    mutating func intern(_ value: Value) -> Int32 {
        if let i = index[value] { return i }
        let i = Int32(values.count)
        values.append(value)
        index[value] = i
        return i
    }

    /// ``intern(_:)`` that first compares the few values most recently interned in the same role (`recent`, the
    /// last match moved to the front): `==` on a string's or an array's own storage is a pointer compare, so
    /// interning the same personas, flows and step sequences over and over hashes nothing, and the value used most
    /// is mostly tried first (a miss on a long string compares its bytes). On a match in other storage the
    /// caller's copy replaces the table's, so the next lookup of that same object compares pointers.
    mutating func intern(_ value: Value, recent: inout [Int32]) -> Int32 {
        // Found first, moved after: swapping while the loop holds the array would copy it. The same object first
        // (a bit compare per entry), then an equal value (a miss on a long string compares bytes).
        guard
            let k = recent.firstIndex(where: { isBitwiseIdentical(values[Int($0)], value) })
                ?? recent.firstIndex(where: { values[Int($0)] == value })
        else {
            let i = intern(value)
            Self.useFirst(i, in: &recent)
            return i
        }
        let i = recent[k]
        if !isBitwiseIdentical(values[Int(i)], value) { values[Int(i)] = value }
        if k > 0 { recent.swapAt(0, k) }
        return i
    }

    /// Puts `i` first in a recent list of at most 8 (dropping the last when full).
    static func useFirst(_ i: Int32, in recent: inout [Int32]) {
        if recent.count == 8 { recent.removeLast() }
        recent.insert(i, at: 0)
    }
}

/// True when `a` and `b` have the same inline bits: the same references (one string's or array's storage) and
/// the same plain fields, so they are one value. `==` on strings and arrays starts with this test before it
/// compares contents; false says nothing about equality. Callers that keep one copy of a value compared over
/// and over use it to replace their copy only when it is not already the caller's.
@inlinable @inline(__always)
public func isBitwiseIdentical<T>(_ a: T, _ b: T) -> Bool {
    withUnsafeBytes(of: a) { x in
        withUnsafeBytes(of: b) { y in
            var k = 0
            while k + 8 <= x.count {
                if x.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                    != y.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                {
                    return false
                }
                k += 8
            }
            while k < x.count {
                if x[k] != y[k] { return false }
                k += 1
            }
            return true
        }
    }
}

extension String {
    /// `==` that first compares the UTF-8 lengths (O(1) for native strings): most step names and event types
    /// that differ differ in length, and then no byte is compared.
    @inlinable @inline(__always)
    public func equalsFast(_ other: String) -> Bool { utf8.count == other.utf8.count && self == other }
}
