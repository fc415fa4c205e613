import CSQLiteConfig
import GRDB

/// The SQLite library the engine store runs on, for manifest.json.
public enum SQLiteLibrary {
    /// The run-time library's version as `sqlite3_libversion()` spells it ("3.40.1"), from
    /// `sqlite3_libversion_number()` (X·1000000 + Y·1000 + Z), which GRDB exposes.
    public static var version: String { spelled(Int(Database.sqliteLibVersionNumber)) }

    /// Whether SQLite keeps no memory statistics in this process: the store switches them off before it opens its
    /// first connection (``SQLiteStore/configuration()``), which spares every SQLite allocation a global mutex and
    /// its counters (−5% of a SQLite simulation's instructions, callgrind). False when a connection was opened
    /// before, by other code of the process: SQLite takes the option only before it is initialised.
    ///
    /// A process-wide side effect of the first store: SQLite asks that no other thread call it while
    /// `sqlite3_config` runs. In the lab's programs the store opens every connection, after this once-initialiser
    /// has run (a second thread's first store waits for it). A process that also opens connections of its own
    /// (the test suite's raw GRDB queues) may race it; the flag alone is at stake then: SQLite's counters, which
    /// nothing in the lab reads, stay on or go off.
    public static let memoryStatisticsAreOff: Bool = csqlite_disable_memory_statistics() != 0

    /// The bytes SQLite counts as allocated now: 0 while its memory statistics are off.
    public static var memoryUsed: Int64 { Int64(csqlite_memory_used()) }

    /// "X.Y.Z" of a version number X·1000000 + Y·1000 + Z.
    public static func spelled(_ number: Int) -> String {
        "\(number / 1_000_000).\(number / 1000 % 1000).\(number % 1000)"
    }
}
