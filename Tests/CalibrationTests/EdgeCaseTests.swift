import Calibration
import Foundation
import LabTestSupport
import OnboardingPersistence
import Scenarios
import Testing

/// Databases that cannot give a full scenario: each gives a valid scenario with the gaps stated, or a clear
/// error, never a crash.
@Suite("calibration edge cases")
struct EdgeCaseTests {
    @Test func emptyDatabaseIsAClearError() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.sqlite").path
        try SQLiteStore(path: path, mode: .createOrMigrate).close()
        #expect {
            try Calibrator.calibrate(path: path)
        } throws: { error in
            (error as? CalibrationError)?.reason.contains("no assignments") ?? false
        }
    }

    @Test func nonEngineFileIsRefusedUntouched() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.txt").path
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            try Calibrator.calibrate(path: path)
        } throws: { error in
            if case .notAnEngineDatabase = error as? PersistenceError { return true }
            return false
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("not a database\n".utf8))
    }

    /// Five days: nobody is 7 days old, so activation cannot be estimated.
    @Test func noMatureUsersIsAClearError() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Fixtures.scenario(days: 5, perDay: 40, personas: Fixtures.twoFlowPersona())
        let (_, database) = try Fixtures.simulate(text, in: folder)
        #expect {
            try Calibrator.calibrate(path: database)
        } throws: { error in
            (error as? CalibrationError)?.reason.contains("older than 7 days") ?? false
        }
    }

    /// Twenty days: activation is estimated, retention and upgrade are not (immature) and the header says so.
    @Test func immatureRetentionIsStatedAsAGap() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Fixtures.scenario(days: 20, perDay: 60, personas: Fixtures.twoFlowPersona())
        let (_, database) = try Fixtures.simulate(text, in: folder)
        let calibrated = try Calibrator.calibrate(path: database)
        let file = try #require(try calibrated.files(out: "immature.yaml", name: "immature", seed: 1, draws: 0).first)
        #expect(file.text.contains("retention and upgrade not estimated"))
        #expect(file.text.contains("weekly pattern") || calibrated.traffic.weeklyP != nil)
        let flows = try #require(calibrated.personas.first?.flows)
        #expect(flows.allSatisfy { $0.activation.isEstimated && !$0.retention.isEstimated })
        #expect(file.scenario.personas.first?.flows.count == 2)
    }

    /// A persona with a single flow and a flow nobody but a handful saw (min sample 30): one flow, the other listed.
    @Test func personaWithOneFlow() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let persona = """
              - id: solo
                activation_event: win
                v3_default: [{flow: only, variant: v}]
                flows:
                  - {id: only, steps: [s1, win], truth: {activation_7d: 0.5, retention_30d: 0.3, time_to_first_win: {distribution: lognormal, median_minutes: 120, sigma: 0.7}}}
            """
        let text = Fixtures.scenario(days: 45, perDay: 30, personas: persona)
        let (_, database) = try Fixtures.simulate(text, in: folder)
        let calibrated = try Calibrator.calibrate(path: database)
        let file = try #require(try calibrated.files(out: "one.yaml", name: "one", seed: 1, draws: 1).first)
        let flows = try #require(file.scenario.personas.first?.flows)
        #expect(flows.map(\.steps) == [["s1", "win"]])
        #expect(file.scenario.personas.first?.v3Default.map(\.flow) == [flows[0].id])
        #expect(file.scenario.traffic.weekly == nil, "weekly pattern invented")
    }

    /// Nobody ever activates: every time is censored, the time to first win is stated as not estimated.
    @Test func allTimesCensored() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Fixtures.scenario(days: 40, perDay: 40, personas: Fixtures.twoFlowPersona(activation: (0, 0)))
        let (_, database) = try Fixtures.simulate(text, in: folder)
        let calibrated = try Calibrator.calibrate(path: database)
        let file = try #require(try calibrated.files(out: "censored.yaml", name: "censored", seed: 1, draws: 0).first)
        #expect(calibrated.personas.first?.flows.allSatisfy { $0.timeToWin == nil } ?? false)
        #expect(file.text.contains("time to first win not estimated"))
        #expect(file.scenario.personas.first?.flows.allSatisfy { $0.truth?.activation7d == 0 } ?? false)
    }

    /// `--since`/`--until` bound the signup days (floored to whole days); an `until` past the data stops at the
    /// day of the latest record.
    @Test func periodBounds() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Fixtures.scenario(days: 40, perDay: 40, personas: Fixtures.twoFlowPersona())
        let (_, database) = try Fixtures.simulate(text, in: folder)
        let day = 1440
        let bounded = try Calibrator.calibrate(
            path: database, options: CalibrationOptions(since: 10 * day + 300, until: 30 * day))
        #expect(bounded.since == 10 * day && bounded.until == 30 * day && bounded.days == 20)
        #expect(bounded.traffic.counts.count == 20)
        #expect(bounded.users == bounded.traffic.counts.reduce(0, +))
        let all = try Calibrator.calibrate(path: database, options: CalibrationOptions(until: 400 * day))
        #expect(all.until <= 41 * day && all.days >= 39, "until \(all.until), days \(all.days)")
        #expect(all.users > bounded.users)
        let text2 = try #require(try all.files(out: "all.yaml", name: "all", seed: 1, draws: 0).first?.text)
        #expect(text2.contains("(\(all.days) days, \(all.users) users)"))
        #expect {
            try Calibrator.calibrate(path: database, options: CalibrationOptions(since: 500 * day))
        } throws: { error in
            (error as? CalibrationError)?.reason.contains("no complete day") ?? false
        }
    }

    /// The command line: a valid file `validate` accepts, draws beside it, exit 4 for an empty database.
    @Test func commandLine() throws {
        let folder = try Fixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Fixtures.scenario(days: 40, perDay: 40, personas: Fixtures.twoFlowPersona())
        let (_, database) = try Fixtures.simulate(text, in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let r = try CLIRunner.run(
            ["calibrate", database, "--out", "prod.yaml", "--draws", "2", "--seed", "4"], in: folder)
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdout == "prod.yaml\nprod.draw-01.yaml\nprod.draw-02.yaml\n", "\(r)")
        let validate = try CLIRunner.run(
            ["validate", "prod.yaml", "prod.draw-01.yaml", "prod.draw-02.yaml"], in: folder)
        #expect(validate.exitCode == 0, "\(validate)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before, "the database was written")
        let again = try CLIRunner.run(
            ["calibrate", database, "--out", "again.yaml", "--draws", "2", "--seed", "4", "--name", "prod"], in: folder)
        #expect(again.exitCode == 0)
        #expect(
            try String(contentsOfFile: folder.appendingPathComponent("again.draw-02.yaml").path, encoding: .utf8)
                == String(contentsOfFile: folder.appendingPathComponent("prod.draw-02.yaml").path, encoding: .utf8),
            "draws are not reproducible")
        let empty = folder.appendingPathComponent("empty.sqlite").path
        try SQLiteStore(path: empty, mode: .createOrMigrate).close()
        let refused = try CLIRunner.run(["calibrate", empty, "--out", "e.yaml"], in: folder)
        #expect(refused.exitCode == 4, "\(refused)")
        #expect(refused.stderr.contains("cannot calibrate"), "\(refused)")
        let badSample = try CLIRunner.run(["calibrate", database, "--out", "x.yaml", "--min-sample", "0"], in: folder)
        #expect(badSample.exitCode == 64, "\(badSample)")
        let badName = try CLIRunner.run(["calibrate", database, "--out", "x.yaml", "--name", "Bad Name"], in: folder)
        #expect(badName.exitCode == 64, "\(badName)")
    }
}
