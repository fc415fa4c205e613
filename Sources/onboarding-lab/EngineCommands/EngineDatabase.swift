import OnboardingEngine
import OnboardingPersistence
import Stochastics

/// Opens the v4 engine on a database file for one command.
enum EngineDatabase {
    /// The engine over the database at `path`. With `.existing` (every command but `engine init`) a missing
    /// file, a file that is not an engine database or a newer schema throws ``PersistenceError`` and nothing is
    /// written. `policySeed` seeds the engine's policy stream; only assignment draws from it.
    static func open(
        _ path: String, mode: SQLiteStore.OpenMode = .existing, policySeed: UInt64 = 0
    ) throws -> V4Engine {
        let store = try SQLiteStore(path: path, mode: mode)
        if let backup = store.migrationBackupPath {
            StandardError.write(
                "note: \(path) was migrated to the current schema (ISO 8601 times, WAL); the previous file is kept at \(backup)"
            )
        }
        return try V4Engine(store: store, random: RandomStream(seed: policySeed))
    }

    /// The seed of the policy stream of `engine assign` for one user:
    /// `SeedDerivation.seed(master: seed, replicate: 0, stream: "policy:" + userId)`, so the same command gives
    /// the same answer and two users never share a stream.
    static func policySeed(master: UInt64, userId: String) -> UInt64 {
        SeedDerivation.seed(master: master, replicate: 0, stream: "policy:" + userId)
    }
}
