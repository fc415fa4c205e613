import Foundation

/// What one run of a command-line tool printed, and how it exited.
public struct CLIResult: Sendable, CustomStringConvertible {
    public var arguments: [String]
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    /// The command and everything it printed, for failure messages.
    public var description: String {
        "$ \(arguments.joined(separator: " "))\nexit \(exitCode)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// Runs the package's built executables as a user would, and captures their output (the approach of
/// swift-argument-parser's `MathExampleTests`).
///
/// The executable is looked for, in order: at `$ONBOARDING_LAB_BUILD_DIR/<name>` when that variable is set; next to
/// the running test bundle (the products folder of whichever scratch path `swift test` uses); then in every
/// `.build*/debug` and `.build*/release` folder of the package root derived from this file's path.
public enum CLIRunner {
    public enum Failure: Error, CustomStringConvertible {
        case executableNotFound(name: String, searched: [String])

        public var description: String {
            switch self {
            case .executableNotFound(let name, let searched):
                return
                    "no built '\(name)' found (run `swift build` first); looked in: \(searched.joined(separator: ", "))"
            }
        }
    }

    /// The package root: three levels above `Tests/LabTestSupport/CLIRunner.swift`.
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Folders that may hold the built products, most specific first.
    public static func productDirectories() -> [URL] {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["ONBOARDING_LAB_BUILD_DIR"], !override.isEmpty {
            folders.append(URL(fileURLWithPath: override))
        }
        // The test bundle sits in the products folder: an `.xctest` bundle (macOS) or executable (Linux).
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let executable = Bundle.main.executableURL {
            folders.append(executable.deletingLastPathComponent())
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        let scratchFolders = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.path)) ?? []
        for scratch in scratchFolders.filter({ $0.hasPrefix(".build") }).sorted() {
            for configuration in ["debug", "release"] {
                folders.append(packageRoot.appendingPathComponent(scratch).appendingPathComponent(configuration))
            }
        }
        var seen: Set<String> = []
        return folders.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
    }

    /// The built executable `name`, or ``Failure/executableNotFound(name:searched:)``.
    public static func executable(named name: String) throws -> URL {
        let folders = productDirectories()
        for folder in folders {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Failure.executableNotFound(name: name, searched: folders.map(\.path))
    }

    /// An executable on `PATH` (e.g. `sqlite3`), or nil.
    public static func systemTool(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` in `directory` and waits for it. Output goes through temporary files,
    /// so a command that prints a lot cannot block on a full pipe. `COLUMNS` is fixed at 80 so help text wraps
    /// the same way everywhere.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> CLIResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: scratch.path]) }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "80"
        env["XDG_CACHE_HOME"] = cacheHome.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CLIResult(
            arguments: [executable.lastPathComponent] + arguments,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            exitCode: process.terminationStatus)
    }

    /// The folder of this test process under the system's temporary directory, removed when the process exits:
    /// scratch folders made by ``makeTemporaryDirectory(prefix:)`` live in it, so a test that forgets to remove its
    /// own (or fails before it can) leaves nothing behind.
    public static let scratchRoot: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "onboarding-lab-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: CLIRunner.scratchRoot) }
        return root
    }()

    /// `XDG_CACHE_HOME` of every command the tests run (unless one sets its own): a folder of this test process, so
    /// the binary's digest (README "Provenance") is computed once per run and the user's own cache is left alone.
    public static let cacheHome = scratchRoot.appendingPathComponent("xdg-cache")

    /// Runs the package's executable `name` (default `onboarding-lab`).
    public static func run(
        _ arguments: [String], executable name: String = "onboarding-lab", in directory: URL? = nil
    ) throws -> CLIResult {
        try run(try executable(named: name), arguments, in: directory)
    }

    /// A new empty folder under the system's temporary directory; the caller removes it.
    public static func makeTemporaryDirectory(prefix: String = "onboarding-lab-test") throws -> URL {
        let url = scratchRoot.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
