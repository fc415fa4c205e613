import Foundation
import LabTestSupport
import Testing

/// Files that are not (usable) engine databases: every command exits 3 with one clear line, and the file's bytes
/// are unchanged.
@Suite("database refusal")
struct DatabaseRefusalTests {
    /// Commands that would write if they opened the file, and one that only reads.
    static func commands(_ file: String) -> [[String]] {
        [
            ["inspect", file],
            ["calibrate", file, "--out", "calibrated.yaml"],
            ["engine", "settings", file, "--set", "epsilon=0.1", "--at", "10"],
            ["engine", "nightly", file, "--at", "10"],
            ["engine", "assign", file, "--user", "u1", "--persona", "p", "--at", "10"],
            ["engine", "event", file, "--user", "u1", "--event", "e", "--at", "10"],
            ["engine", "outcome", file, "--user", "u1", "--outcome", "activated", "--at", "10"],
        ]
    }

    /// Runs every command on `name`; each must exit `code` with `message` in its single stderr line, leaving the
    /// file byte for byte as it was.
    func expectRefused(_ lab: LabCLI, _ name: String, code: Int32 = 3, message: String, includingInit: Bool = true)
        throws
    {
        let before = try lab.bytes(name)
        var commands = Self.commands(name)
        if includingInit { commands.append(["engine", "init", name, "--at", "10"]) }
        for arguments in commands {
            let r = try lab.run(arguments)
            #expect(r.exitCode == code, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            #expect(r.stderr.hasPrefix("error: \(name): "), "\(r)")
            #expect(r.stderr.contains(message), "\(r)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r)")
            #expect(try lab.bytes(name) == before, "\(name) changed after \(arguments.joined(separator: " "))")
        }
        #expect(!FileManager.default.fileExists(atPath: lab.path(name + "-journal")))
    }

    @Test func textFile() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        try lab.write("notes.txt", "These are not the tables you are looking for.\n")
        try expectRefused(lab, "notes.txt", message: "not an onboarding engine database")
    }

    @Test func emptyFile() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        try lab.write("empty.sqlite", "")
        try expectRefused(lab, "empty.sqlite", message: "the database is empty", includingInit: false)
    }

    @Test func missingFile() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        for arguments in Self.commands("absent.sqlite") {
            let r = try lab.run(arguments)
            #expect(r.exitCode == 3, "\(r)")
            #expect(
                r.stderr
                    == "error: absent.sqlite: no engine database here (create one with `onboarding-lab engine init absent.sqlite`)\n"
            )
            #expect(!FileManager.default.fileExists(atPath: lab.path("absent.sqlite")))
        }
    }

    @Test(.enabled(if: LabCLI.sqlite3 != nil, "needs the sqlite3 command-line tool to build a foreign database"))
    func foreignSQLiteDatabase() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        try lab.sqlite(
            "crm.sqlite",
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');")
        try expectRefused(
            lab, "crm.sqlite",
            message: "not an onboarding engine database: it has tables (customers) but no engine migrations")
    }

    @Test(.enabled(if: LabCLI.sqlite3 != nil, "needs the sqlite3 command-line tool to add a migration"))
    func schemaNewerThanTheBinary() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        #expect(try lab.run("engine", "init", "future.sqlite", "--at", "0").exitCode == 0)
        try lab.sqlite("future.sqlite", "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future');")
        try expectRefused(
            lab, "future.sqlite",
            message: "the database schema is newer than this onboarding-lab (unknown migrations: v99-from-the-future)")
    }

    /// A setting the engine cannot read is reported as invalid contents (exit 4), naming table, row and column.
    @Test(.enabled(if: LabCLI.sqlite3 != nil, "needs the sqlite3 command-line tool to damage a row"))
    func corruptSetting() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        #expect(try lab.run("engine", "init", "damaged.sqlite", "--at", "0").exitCode == 0)
        try lab.sqlite("damaged.sqlite", "UPDATE engine_settings SET value = 'lots' WHERE key = 'epsilon';")
        let before = try lab.bytes("damaged.sqlite")
        for arguments in [["inspect", "damaged.sqlite"], ["engine", "nightly", "damaged.sqlite", "--at", "5"]] {
            let r = try lab.run(arguments)
            #expect(r.exitCode == 4, "\(r)")
            #expect(
                r.stderr
                    == "error: corrupt row in engine_settings (epsilon), column value: setting epsilon: expected a number, found 'lots'\n"
            )
        }
        #expect(try lab.bytes("damaged.sqlite") == before)
    }
}

/// `engine init` that cannot write (a full disk: here a file-size limit of 4 KiB with SIGXFSZ ignored, so writes
/// fail with EFBIG as on ENOSPC) leaves no file behind: never a 0-byte or half-written database.
@Suite("engine init on a full disk")
struct FullDiskInitTests {
    @Test func nothingIsLeftBehind() throws {
        let lab = try LabCLI()
        defer { lab.remove() }
        let binary = try CLIRunner.executable(named: "onboarding-lab")
        let r = try CLIRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" engine init full.sqlite", binary.path], in: lab.folder)
        #expect(r.exitCode != 0, "\(r)")
        #expect(r.stderr.contains("error:"), "\(r)")
        let left = try FileManager.default.contentsOfDirectory(atPath: lab.folder.path).filter {
            $0.hasPrefix("full.sqlite")
        }
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
