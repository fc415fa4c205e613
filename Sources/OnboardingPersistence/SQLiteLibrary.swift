import GRDB

/// The SQLite library the engine store runs on, for manifest.json.
public enum SQLiteLibrary {
    /// The run-time library's version as `sqlite3_libversion()` spells it ("3.40.1"), from
    /// `sqlite3_libversion_number()` (X·1000000 + Y·1000 + Z), which GRDB exposes.
    public static var version: String { spelled(Int(Database.sqliteLibVersionNumber)) }

    /// "X.Y.Z" of a version number X·1000000 + Y·1000 + Z.
    public static func spelled(_ number: Int) -> String {
        "\(number / 1_000_000).\(number / 1000 % 1000).\(number % 1000)"
    }
}
