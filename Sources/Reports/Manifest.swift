import OnboardingEngine

/// manifest.json (SPEC §4): what produced a results folder.
public struct Manifest: Sendable {
    public var labVersion: String
    public var command: [String]
    public var scenario: String
    public var seed: UInt64
    public var replicates: Int
    public var configurations: Int
    public var horizonDays: Int
    public var scale: Double
    public var store: String
    public var threads: Int
    public var shard: String?
    public var startedAt: String
    public var finishedAt: String
    public var users: Int
    /// True in the manifest of a finished folder (written last, after every other file).
    public var complete: Bool = true
    /// SHA-256 (hex) of every other file of the folder, by path relative to it (`charts/x.svg`).
    public var files: [String: String] = [:]
    /// The source commit, binary and library versions that produced the folder (nil leaves the key out).
    public var provenance: Provenance?

    public init(
        labVersion: String, command: [String], scenario: String, seed: UInt64, replicates: Int, configurations: Int,
        horizonDays: Int, scale: Double, store: String, threads: Int, shard: String?, startedAt: String,
        finishedAt: String, users: Int
    ) {
        self.labVersion = labVersion
        self.command = command
        self.scenario = scenario
        self.seed = seed
        self.replicates = replicates
        self.configurations = configurations
        self.horizonDays = horizonDays
        self.scale = scale
        self.store = store
        self.threads = threads
        self.shard = shard
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.users = users
    }

    public var json: String {
        var object: [String: JSONValue] = [
            "lab_version": .string(labVersion),
            "command": .array(command.map { .string($0) }),
            "scenario": .string(scenario),
            "seeds": .object([
                "master": .string(String(seed)),
                "derivation": .string(
                    "per replicate r and stream s in {user, policy, faults; funnel, delays when used}: splitmix64 chain over (master ^ 0x9E3779B97F4A7C15, r, FNV-1a-64(s)), folded to 32 bits; generator mt19937 (see Sources/Stochastics/SeedDerivation.swift)"
                ),
            ]),
            "replicates": .integer(replicates),
            "configurations": .integer(configurations),
            "horizon_days": .integer(horizonDays),
            "scale": .number(scale),
            "store": .string(store),
            "threads": .integer(threads),
            "shard": shard.map { .string($0) } ?? .null,
            "started_at": .string(startedAt),
            "finished_at": .string(finishedAt),
            "users_simulated": .integer(users),
            "complete": .bool(complete),
            "files": .object(files.mapValues { .string($0) }),
        ]
        if let provenance { object["provenance"] = provenance.json }
        return JSONValue.object(object).text + "\n"
    }
}
