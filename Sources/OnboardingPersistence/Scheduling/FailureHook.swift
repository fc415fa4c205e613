import Foundation

/// `--on-failure 'command'`: a shell command run (`/bin/sh -c`) when a scheduled night fails after every retry.
///
/// Its environment adds `ONBOARDING_JOB_ID` (empty when the job never started), `ONBOARDING_JOB_ERROR` (the
/// message), `ONBOARDING_DATABASE` and `ONBOARDING_NIGHT` (the slot, ISO 8601 UTC). Its output goes to this
/// process's stderr; its exit status is returned (a failing hook is logged, never fatal).
public struct FailureHook: Sendable, Equatable {
    public var command: String
    public var database: String

    public init(command: String, database: String) {
        self.command = command
        self.database = database
    }

    /// The variables added to the hook's environment.
    public func environment(jobId: String?, message: String, slot: Date) -> [String: String] {
        [
            "ONBOARDING_JOB_ID": jobId ?? "", "ONBOARDING_JOB_ERROR": message, "ONBOARDING_DATABASE": database,
            "ONBOARDING_NIGHT": SQLTime.text(slot),
        ]
    }

    /// Runs the command and waits for it.
    @discardableResult
    public func run(jobId: String?, message: String, slot: Date) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(
            environment(jobId: jobId, message: message, slot: slot)
        ) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
