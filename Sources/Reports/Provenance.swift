import OnboardingEngine

/// What built and ran a results folder, for manifest.json's `provenance` (a paper cites it): the git commit of
/// the lab's source and whether that tree had uncommitted changes, the SHA-256 of the running binary, and the
/// Swift compiler, GSL and SQLite versions. Any value that cannot be found is "unknown", never an error.
public struct Provenance: Sendable, Equatable {
    public static let unknown = "unknown"

    /// 40 hex digits, or "unknown".
    public var gitCommit: String
    /// Whether Package.swift or Sources/ differ from that commit (untracked files under Sources/ count); nil when
    /// unknown.
    public var gitDirty: Bool?
    /// 64 hex digits, or "unknown".
    public var binarySHA256: String
    /// The compiler the binary was built with, as the newest version its `#if compiler(>=…)` chain accepts
    /// (">=6.3.1"), or "unknown".
    public var swift: String
    /// The run-time GSL library's `gsl_version` ("2.7.1").
    public var gsl: String
    /// The run-time SQLite library's `sqlite3_libversion()` ("3.40.1").
    public var sqlite: String

    public init(
        gitCommit: String, gitDirty: Bool?, binarySHA256: String, swift: String, gsl: String, sqlite: String
    ) {
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.binarySHA256 = binarySHA256
        self.swift = swift
        self.gsl = gsl
        self.sqlite = sqlite
    }

    var json: JSONValue {
        .object([
            "git_commit": .string(gitCommit),
            "git_dirty": gitDirty.map { .bool($0) } ?? .string(Self.unknown),
            "binary_sha256": .string(binarySHA256),
            "swift": .string(swift),
            "gsl": .string(gsl),
            "sqlite": .string(sqlite),
        ])
    }
}
