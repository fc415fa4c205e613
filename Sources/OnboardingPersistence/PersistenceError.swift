/// Why an engine database could not be opened or read. Nothing is written when one is thrown.
public enum PersistenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at the path, and the operation needs an existing database.
    case missingDatabase(path: String)
    /// The file is not SQLite, or is a SQLite database of something else.
    case notAnEngineDatabase(path: String, reason: String)
    /// The database was migrated by a newer lab than this binary.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// A row holds a value the engine cannot read.
    case corruptRow(table: String, key: String, column: String, reason: String)

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            return "\(path): no engine database here (create one with `onboarding-lab engine init \(path)`)"
        case .notAnEngineDatabase(let path, let reason):
            return "\(path): not an onboarding engine database: \(reason); nothing was written"
        case .schemaTooNew(let path, let unknown):
            return "\(path): the database schema is newer than this onboarding-lab (unknown migrations: \(unknown.joined(separator: ", "))); upgrade onboarding-lab. Nothing was written"
        case .corruptRow(let table, let key, let column, let reason):
            return "corrupt row in \(table) (\(key)), column \(column): \(reason)"
        }
    }
}
