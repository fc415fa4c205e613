import Foundation
import LabTestSupport

/// A single-node Slurm cluster brought up by `scripts/slurm-local.sh` in a private folder, and the Slurm commands
/// the tests run against it (`SLURM_CONF` points at that folder's `slurm.conf`).
struct LocalSlurmCluster {
    /// A failure of the cluster itself (it could not start or stop, a command failed, a job did not finish in time).
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One record of `scontrol show job --oneliner`: a job, or one task of an array job.
    struct JobRecord: CustomStringConvertible {
        var fields: [String: String]

        /// Parses `Key=Value` tokens; values with spaces (`Command=`, `WorkDir=`) are cut at the first space,
        /// which the fields read here never contain.
        init(line: String) {
            var fields: [String: String] = [:]
            for token in line.split(separator: " ") {
                guard let equals = token.firstIndex(of: "=") else { continue }
                let key = String(token[..<equals])
                if fields[key] == nil { fields[key] = String(token[token.index(after: equals)...]) }
            }
            self.fields = fields
        }

        var state: String { fields["JobState"] ?? "?" }
        var exitCode: String { fields["ExitCode"] ?? "?" }
        var reason: String { fields["Reason"] ?? "?" }
        var arrayTaskID: Int? { fields["ArrayTaskId"].flatMap { Int($0) } }
        var standardOutput: String? { fields["StdOut"] }

        /// Slurm's final states; anything else (PENDING, RUNNING, COMPLETING, …) may still change.
        var isFinished: Bool {
            [
                "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED",
                "BOOT_FAIL", "DEADLINE",
            ].contains(state)
        }

        var description: String { "job \(fields["JobId"] ?? "?"): \(state), exit \(exitCode), reason \(reason)" }
    }

    /// The state folder (`LAB_SLURM_DIR`).
    let folder: URL
    /// The environment every script and Slurm command of this cluster runs with.
    let environment: [String: String]

    static let script = Repo.root.appendingPathComponent("scripts/slurm-local.sh")
    static let bash = URL(fileURLWithPath: "/bin/bash")

    /// A cluster in a new private folder, on controller port `port` (and `port + 1` for slurmd): by default a
    /// random pair away from the script's default folder and ports, so a user's own local cluster (or a second
    /// test run) is left alone.
    init(port: Int = 2 * Int.random(in: 9_000..<14_000)) {
        let tag = UUID().uuidString.prefix(8).lowercased()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onboarding-lab-slurm-test-\(tag)")
        environment = [
            "LAB_SLURM_DIR": folder.path,
            "LAB_SLURM_PORT": String(port),
            "SLURM_CONF": folder.appendingPathComponent("slurm.conf").path,
        ]
    }

    /// Runs `scripts/slurm-local.sh ARGUMENTS`.
    func script(_ arguments: String...) throws -> CLIResult {
        try CLIRunner.run(Self.bash, [Self.script.path] + arguments, environment: environment)
    }

    /// Starts the cluster (installing Slurm and munge when missing); throws with the script's reason when it cannot.
    func start() throws {
        let result = try script("start")
        guard result.exitCode == 0 else {
            throw Failure(
                description:
                    "Slurm could not start on this machine (set LAB_SKIP_SLURM=1 to skip on purpose):\n\(result)")
        }
    }

    /// The daemons' PIDs from `slurm-local.sh status` ("name PID" lines).
    func daemonPIDs() throws -> [String: Int32] {
        let result = try script("status")
        var pids: [String: Int32] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let pid = Int32(parts[1]) { pids[String(parts[0])] = pid }
        }
        return pids
    }

    /// Stops the cluster; throws with the script's output when it fails. Returns that output (stderr names a daemon
    /// that had to be killed because it ignored TERM).
    @discardableResult
    func stop() throws -> CLIResult {
        let result = try script("stop")
        guard result.exitCode == 0 else { throw Failure(description: "slurm-local.sh stop failed:\n\(result)") }
        return result
    }

    /// Whether process `pid` still runs as `name` (a zombie, or a PID reused by another program, does not count).
    static func isRunning(pid: Int32, name: String) -> Bool {
        guard
            let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z"
    }

    /// Runs a Slurm command (`sbatch`, `scontrol`, `scancel`, …) against this cluster; throws unless it exits 0.
    @discardableResult
    func slurm(_ tool: String, _ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> CLIResult {
        guard let executable = CLIRunner.systemTool(named: tool) else {
            throw Failure(description: "\(tool) is not on PATH after slurm-local.sh start")
        }
        let result = try CLIRunner.run(
            executable, arguments, environment: environment.merging(extraEnvironment) { $1 })
        guard result.exitCode == 0 else { throw Failure(description: "\(tool) failed:\n\(result)") }
        return result
    }

    /// The records of job `id` (one per task for an array job).
    func jobRecords(_ id: String) throws -> [JobRecord] {
        try slurm("scontrol", ["show", "job", "--oneliner", id]).stdout
            .split(separator: "\n").map { JobRecord(line: String($0)) }
    }

    /// Waits until every record of every job in `ids` is in a final state, polling twice a second for at most
    /// `limit` seconds; returns the records by job id.
    func waitForJobs(_ ids: [String], limit: Double = 240) throws -> [String: [JobRecord]] {
        let deadline = Date().addingTimeInterval(limit)
        while true {
            let records = try Dictionary(uniqueKeysWithValues: ids.map { ($0, try jobRecords($0)) })
            if records.values.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinished) }) { return records }
            guard Date() < deadline else {
                let states = records.values.joined().map(\.description).joined(separator: "\n")
                throw Failure(description: "jobs \(ids) did not finish within \(Int(limit)) s:\n\(states)")
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    /// The shards 1…`count` whose array task did not complete, as "shard k/n: STATE, exit E; LOG: last line of the
    /// log" (or "never ran" for a task cancelled before it started, which leaves no record): what a user needs to
    /// see which shard failed and why. Assumes the array was submitted as 1-count.
    static func failedShards(_ records: [JobRecord], of count: Int, logs: URL) -> [String] {
        (1...count).compactMap { shard in
            guard let record = records.first(where: { $0.arrayTaskID == shard }) else {
                return "shard \(shard)/\(count): never ran (cancelled before it started)"
            }
            guard record.state != "COMPLETED" else { return nil }
            let log = logs.appendingPathComponent("shard-\(shard).out")
            let lastLine =
                ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").last.map(String.init)
                ?? "(no log)"
            return "shard \(shard)/\(count): \(record.state), exit \(record.exitCode); \(log.path): \(lastLine)"
        }
    }
}
