/// The values last looked up for a few personas, found by comparing names: users and events interleave a few
/// personas, and a short list compared by `==` (a pointer compare when the name is the same string storage, as the
/// simulator's and the memory store's interned names are) beats hashing the persona per call. Holds the 16 latest.
struct RecentByPersona<Value> {
    static var capacity: Int { 16 }
    private var entries: [(persona: String, value: Value)] = []

    @inline(__always)
    func find(_ persona: String) -> Value? {
        for i in entries.indices where entries[i].persona == persona { return entries[i].value }
        return nil
    }

    mutating func remember(_ persona: String, _ value: Value) {
        if entries.count == Self.capacity { entries.removeFirst() }
        entries.append((persona, value))
    }

    mutating func removeAll() { entries.removeAll() }
}
