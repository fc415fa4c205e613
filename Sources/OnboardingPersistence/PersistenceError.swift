/// Why an engine database could not be opened or read. Nothing is written when one is thrown.
public enum PersistenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file at the path, and the operation needs an existing database.
    case missingDatabase(path: String)
    /// The file is not SQLite, or is a SQLite database of something else.
    case notAnEngineDatabase(path: String, reason: String)
    /// The database was migrated by a newer lab than this binary.
    case schemaTooNew(path: String, unknownMigrations: [String])
    /// The database exists but cannot be used right now (locked by another writer past the busy timeout, read-only
    /// file system, I/O error).
    case unavailable(path: String, reason: String)
    /// The database was opened read-only and its schema is older than this binary (`engine init` migrates it).
    case needsMigration(path: String)
    /// A row holds a value the engine cannot read.
    case corruptRow(table: String, key: String, column: String, reason: String)
    /// Another live process holds the nightly job lease (`onboarding_job_leases`) until `expiresAt`.
    case leaseHeld(path: String, owner: String, expiresAt: String)

    public var description: String {
        switch self {
        case .missingDatabase(let path):
            return "\(path): no engine database here (create one with `onboarding-lab engine init \(path)`)"
        case .notAnEngineDatabase(let path, let reason):
            return "\(path): not an onboarding engine database: \(reason); nothing was written"
        case .schemaTooNew(let path, let unknown):
            return
                "\(path): the database schema is newer than this onboarding-lab (unknown migrations: \(unknown.joined(separator: ", "))); upgrade onboarding-lab. Nothing was written"
        case .unavailable(let path, let reason):
            return "\(path): the database cannot be used: \(reason); nothing was written"
        case .needsMigration(let path):
            return
                "\(path): the database schema is older than this onboarding-lab; run `onboarding-lab engine init \(path)` to migrate it"
        case .corruptRow(let table, let key, let column, let reason):
            return "corrupt row in \(table) (\(key)), column \(column): \(reason)"
        case .leaseHeld(let path, let owner, let expiresAt):
            return
                "\(path): another nightly job holds the job lease (owner \(owner), until \(expiresAt) unless it heartbeats); nothing was run"
        }
    }
}
