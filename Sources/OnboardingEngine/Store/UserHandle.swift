/// A store's own small-integer name for one user, handed out by ``EngineStore/insertAssignment(_:variant:steps:)``
/// and ``EngineStore/handle(of:)``.
///
/// The engine's public operations take string user ids (SPEC §1.4); each resolves the id to a handle once and
/// then works on the handle, and a caller that keeps the handle from the assignment (the simulator, a batch
/// importer) skips the lookup: the per-user work then hashes no strings. A handle stays valid while the store
/// holds the user (the memory store drops users after the window and outcome retention; the SQLite store never
/// does). Handles of one store are not meaningful to another.
public struct UserHandle: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var raw: Int

    public init(_ raw: Int) { self.raw = raw }

    public static func < (a: UserHandle, b: UserHandle) -> Bool { a.raw < b.raw }

    public var description: String { "#\(raw)" }
}
