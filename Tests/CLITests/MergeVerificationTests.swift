import Foundation
import LabTestSupport
import Testing

/// Issue 10, item 3: `merge` and `compare` refuse damaged inputs with exit 2 naming file:line — an edited value
/// (checksum), a deleted, duplicated or relabelled row, an unknown config, a missing folder, an output folder that
/// is one of the inputs.
@Suite(.serialized) struct MergeVerificationTests {
    static let sweep = [
        "sweep", Repo.scenario("retention-blind-spot.yaml"), "--replicates", "2", "--horizon", "8", "--quiet",
        "--store", "memory",
    ]

    /// Two shards of a small sweep, in a fresh scratch folder.
    static func shards() throws -> LabCLI {
        let cli = try LabCLI()
        for k in 1...2 {
            let result = try cli.run(Self.sweep + ["--shard", "\(k)/2", "--out", cli.path("s\(k)")])
            try #require(result.exitCode == 0, "\(result)")
        }
        return cli
    }

    static func lines(_ cli: LabCLI, _ file: String) throws -> [String] {
        try String(contentsOfFile: cli.path(file), encoding: .utf8).components(separatedBy: "\r\n")
    }

    static func write(_ cli: LabCLI, _ file: String, _ lines: [String]) throws {
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: cli.path(file)))
    }

    @Test func intactShardsMerge() throws {
        let cli = try Self.shards()
        defer { cli.remove() }
        let merged = try cli.run("merge", cli.path("merged"), cli.path("s1"), cli.path("s2"))
        #expect(merged.exitCode == 0, "\(merged)")
    }

    @Test func anEditedValueFailsTheChecksum() throws {
        let cli = try Self.shards()
        defer { cli.remove() }
        var rows = try Self.lines(cli, "s1/replicates.csv")
        rows[1] = rows[1].replacingOccurrences(of: ",0,", with: ",1,")
        rows[1] += "0"
        try Self.write(cli, "s1/replicates.csv", rows)
        let merged = try cli.run("merge", cli.path("merged"), cli.path("s1"), cli.path("s2"))
        #expect(merged.exitCode == 2, "\(merged)")
        #expect(merged.stderr.contains("s1/replicates.csv: its SHA-256 differs"), "\(merged)")
        let compared = try cli.run("compare", cli.path("s1"))
        #expect(compared.exitCode == 2, "\(compared)")
    }

    /// Damage that `--allow-edited` lets past the checksum is still caught row by row.
    @Test func deletedDuplicatedRelabelledAndUnknownRowsAreLocated() throws {
        let cli = try Self.shards()
        defer { cli.remove() }
        let original = try Self.lines(cli, "s1/replicates.csv")
        let header = original[0]
        let body = original.dropFirst().filter { !$0.isEmpty }
        let cases: [(name: String, rows: [String], mentions: [String])] = [
            ("deleted", [header] + body.dropFirst(), ["s1/replicates.csv", "missing row"]),
            ("duplicated", [header, body[0]] + body, ["s1/replicates.csv:3:", "appears twice (first at line 2)"]),
            (
                "relabelled", [header, body[0].replacingOccurrences(of: "c0,0,", with: "c0,1,")] + body.dropFirst(),
                ["s1/replicates.csv:2:", "does not belong to shard 1/2"]
            ),
            (
                "unknown config", [header, body[0].replacingOccurrences(of: "c0,", with: "c9,")] + body.dropFirst(),
                ["s1/replicates.csv:2:", "config 'c9' is not in configs.csv"]
            ),
        ]
        for c in cases {
            try Self.write(cli, "s1/replicates.csv", c.rows + [""])
            let compared = try cli.run("compare", cli.path("s1"), "--allow-edited")
            #expect(compared.exitCode == 2, "\(c.name): \(compared)")
            for fragment in c.mentions { #expect(compared.stderr.contains(fragment), "\(c.name): \(compared)") }
        }
        try Self.write(cli, "s1/replicates.csv", original)
        #expect(try cli.run("compare", cli.path("s1")).exitCode == 0)
    }

    @Test func dailyAndReplicatesMustAgree() throws {
        let cli = try Self.shards()
        defer { cli.remove() }
        var rows = try Self.lines(cli, "s2/daily.csv")
        let columns = rows[0].split(separator: ",").map(String.init)
        let signups = try #require(columns.firstIndex(of: "signups"))
        var fields = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[signups] = String((Int(fields[signups]) ?? 0) + 1)
        rows[1] = fields.joined(separator: ",")
        try Self.write(cli, "s2/daily.csv", rows)
        let compared = try cli.run("compare", cli.path("s2"), "--allow-edited")
        #expect(compared.exitCode == 2, "\(compared)")
        #expect(compared.stderr.contains("daily.csv and replicates.csv disagree"), "\(compared)")
    }

    @Test func outputFolderAndMissingInputs() throws {
        let cli = try Self.shards()
        defer { cli.remove() }
        let before = try cli.bytes("s1/replicates.csv")
        let ownInput = try cli.run("merge", cli.path("s1"), cli.path("s1"), cli.path("s2"))
        #expect(ownInput.exitCode == 2, "\(ownInput)")
        #expect(ownInput.stderr.contains("one of the input shards"), "\(ownInput)")
        #expect(try cli.bytes("s1/replicates.csv") == before, "merge overwrote its own input")
        let missing = try cli.run("merge", cli.path("merged"), cli.path("s1"), cli.path("nope"))
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.stderr.contains("nope: no such results folder"), "\(missing)")
    }
}
