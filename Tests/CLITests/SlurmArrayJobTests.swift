import Foundation
import LabTestSupport
import Testing

/// README "Scale-out" on a real scheduler: `scripts/slurm-local.sh` brings up a single-node Slurm cluster,
/// `scripts/slurm-submit.sh` submits the sharded sweep as an array job and the merge as a dependent job
/// (`afterok`), and the merged folder must equal the unsharded sweep byte for byte; a failed or cancelled shard must
/// keep the merge from running. When Slurm cannot start here the test fails with the reason; `LAB_SKIP_SLURM=1`
/// skips it on purpose.
@Suite(
    "Slurm array job",
    .disabled(if: ProcessInfo.processInfo.environment["LAB_SKIP_SLURM"] == "1", "LAB_SKIP_SLURM=1"))
struct SlurmArrayJobTests {
    static let shards = 3
    static let sweepOptions = ["--replicates", "4", "--horizon", "30", "--scale", "0.3", "--quiet"]

    /// One cluster for the three cases (start, sharded sweep + merge, a failed shard, a cancelled shard, stop),
    /// so the suite pays for one start; afterwards no daemon the script started may still run.
    @Test func arrayJobAndDependentMergeOnALocalCluster() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let cluster = LocalSlurmCluster()
        let binary = try CLIRunner.executable(named: "onboarding-lab")
        var pids: [String: Int32] = [:]
        do {
            try cluster.start()
            pids = try cluster.daemonPIDs()
            #expect(Set(pids.keys) == ["munged", "slurmctld", "slurmd"], "status after start: \(pids)")
            // start is idempotent: a second start keeps the same daemons.
            try cluster.start()
            #expect(try cluster.daemonPIDs() == pids)

            try mergedArrayJobEqualsTheUnshardedSweep(cluster, cli, binary)
            try failedShardKeepsTheMergeFromRunning(cluster, cli, binary)
            try cancelledShardKeepsTheMergeFromRunning(cluster, cli, binary)
        } catch {
            // The error already on its way is what the test reports; stopping only cleans up.
            _ = try? cluster.stop()
            throw error
        }
        // This test runs the script from a Dispatch thread, which blocks nearly every signal; the daemons must not
        // inherit that mask, or they ignore stop's TERM and are killed 10 s later, their state unsaved.
        let stopped = try cluster.stop()
        #expect(!stopped.stderr.contains("sending KILL"), "\(stopped)")
        try cluster.stop()  // stopping a stopped cluster is fine
        for (name, pid) in pids {
            #expect(!LocalSlurmCluster.isRunning(pid: pid, name: name), "\(name) (PID \(pid)) still runs after stop")
        }
        let status = try cluster.script("status")
        #expect(status.exitCode == 1 && status.stdout.isEmpty, "status after stop: \(status)")
        try? FileManager.default.removeItem(at: cluster.folder)
    }

    /// Submits the sweep of `seed-narrative.yaml` through `scripts/slurm-submit.sh` into `out`; returns the array
    /// and merge job ids.
    func submit(
        _ cluster: LocalSlurmCluster, _ binary: URL, out: String, held: Bool = false
    ) throws -> (array: String, merge: String) {
        let submit = try CLIRunner.run(
            LocalSlurmCluster.bash,
            [
                Repo.root.appendingPathComponent("scripts/slurm-submit.sh").path, "--shards", String(Self.shards),
            ] + (held ? ["--hold"] : []) + [Repo.scenario("seed-narrative.yaml"), out] + Self.sweepOptions,
            environment: cluster.environment.merging(["LAB_BIN": binary.path]) { $1 })
        try #require(submit.exitCode == 0, "\(submit)")
        var ids: [String: String] = [:]
        for line in submit.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { ids[String(parts[0])] = String(parts[1]) }
        }
        let array = try #require(ids["array"], "no array job id in: \(submit)")
        let merge = try #require(ids["merge"], "no merge job id in: \(submit)")
        return (array, merge)
    }

    /// Every shard completes, the merge runs after them and writes exactly the unsharded sweep (manifest aside).
    func mergedArrayJobEqualsTheUnshardedSweep(_ cluster: LocalSlurmCluster, _ cli: LabCLI, _ binary: URL) throws {
        let out = cli.path("slurm")
        let jobs = try submit(cluster, binary, out: out)
        let records = try cluster.waitForJobs([jobs.array, jobs.merge])
        let tasks = records[jobs.array] ?? []
        let failed = LocalSlurmCluster.failedShards(
            tasks, of: Self.shards, logs: URL(fileURLWithPath: out).appendingPathComponent("logs"))
        #expect(failed.isEmpty, "failed shards:\n\(failed.joined(separator: "\n"))")
        #expect(Set(tasks.compactMap(\.arrayTaskID)) == Set(1...Self.shards), "\(tasks)")
        let merge = try #require(records[jobs.merge]?.first)
        let mergeLog = (try? String(contentsOfFile: "\(out)/logs/merge.out", encoding: .utf8)) ?? "(no log)"
        try #require(merge.state == "COMPLETED" && merge.exitCode == "0:0", "\(merge)\n\(mergeLog)")

        let full = try cli.run(
            ["sweep", Repo.scenario("seed-narrative.yaml"), "--out", cli.path("full")] + Self.sweepOptions)
        try #require(full.exitCode == 0, "\(full)")
        var expected = try ExperimentCommandTests.files(cli.path("full"))
        var merged = try ExperimentCommandTests.files("\(out)/merged")
        #expect(expected.removeValue(forKey: "manifest.json") != nil)
        #expect(merged.removeValue(forKey: "manifest.json") != nil)
        #expect(Set(expected.keys) == Set(merged.keys))
        for (name, data) in expected { #expect(merged[name] == data, "\(name) differs after the Slurm merge") }
        for required in ["daily.csv", "replicates.csv", "comparison.csv", "summary.json", "health.csv", "report.md"] {
            #expect(expected[required] != nil, "the sweep wrote no \(required)")
        }
    }

    /// Shard 2 cannot write its folder (a file is in the way): it fails with exit 5, the other shards complete,
    /// the merge is cancelled as never satisfiable and writes nothing; the failure report names shard 2.
    func failedShardKeepsTheMergeFromRunning(_ cluster: LocalSlurmCluster, _ cli: LabCLI, _ binary: URL) throws {
        let out = cli.path("slurm-failed")
        try FileManager.default.createDirectory(atPath: "\(out)/shards", withIntermediateDirectories: true)
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: "\(out)/shards/2"))
        let jobs = try submit(cluster, binary, out: out)
        let records = try cluster.waitForJobs([jobs.array, jobs.merge])
        let failed = LocalSlurmCluster.failedShards(
            records[jobs.array] ?? [], of: Self.shards, logs: URL(fileURLWithPath: out).appendingPathComponent("logs"))
        #expect(failed.count == 1, "\(failed)")
        #expect(failed.first?.hasPrefix("shard 2/3: FAILED, exit 5:0;") == true, "\(failed)")
        #expect(failed.first?.contains("\(out)/shards/2") == true, "the report shows the shard's error: \(failed)")
        let merge = try #require(records[jobs.merge]?.first)
        #expect(merge.state == "CANCELLED" && merge.reason == "DependencyNeverSatisfied", "\(merge)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/merged"))
        #expect(!FileManager.default.fileExists(atPath: "\(out)/logs/merge.out"))
    }

    /// Shard 3 is cancelled (scancel) while both jobs are held; after release the other shards complete and the
    /// merge never runs.
    func cancelledShardKeepsTheMergeFromRunning(_ cluster: LocalSlurmCluster, _ cli: LabCLI, _ binary: URL) throws {
        let out = cli.path("slurm-cancelled")
        let jobs = try submit(cluster, binary, out: out, held: true)
        let held = try cluster.jobRecords(jobs.array) + cluster.jobRecords(jobs.merge)
        #expect(held.allSatisfy { $0.state == "PENDING" && $0.reason == "JobHeldUser" }, "\(held)")
        try cluster.slurm("scancel", ["\(jobs.array)_3"])
        try cluster.slurm("scontrol", ["release", jobs.array])
        try cluster.slurm("scontrol", ["release", jobs.merge])
        let records = try cluster.waitForJobs([jobs.array, jobs.merge])
        let failed = LocalSlurmCluster.failedShards(
            records[jobs.array] ?? [], of: Self.shards, logs: URL(fileURLWithPath: out).appendingPathComponent("logs"))
        #expect(failed == ["shard 3/3: never ran (cancelled before it started)"])
        #expect(Set((records[jobs.array] ?? []).map { $0.state }) == ["COMPLETED"], "\(records)")
        let merge = try #require(records[jobs.merge]?.first)
        #expect(merge.state == "CANCELLED", "\(merge)")
        #expect(!FileManager.default.fileExists(atPath: "\(out)/merged"))
    }
}
