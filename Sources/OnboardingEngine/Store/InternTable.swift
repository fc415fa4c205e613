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

    /// ``intern(_:)`` that first compares the few values most recently interned in the same role (`recent`):
    /// `==` on a string's or an array's own storage is a pointer compare, so interning the same personas, flows
    /// and step sequences over and over hashes nothing. On a match the caller's copy is kept, so the next
    /// lookup of that same object compares pointers.
    mutating func intern(_ value: Value, recent: inout [Int32]) -> Int32 {
        for i in recent where values[Int(i)] == value {
            values[Int(i)] = value
            return i
        }
        let i = intern(value)
        if recent.count == 8 { recent.removeFirst() }
        recent.append(i)
        return i
    }
}
