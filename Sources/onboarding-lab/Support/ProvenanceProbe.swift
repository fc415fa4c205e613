import Foundation
import OnboardingPersistence
import Reports
import Stochastics

/// Finds the ``Provenance`` of this process for manifest.json, once per process.
///
/// - git: at run time, `git -C <source root> rev-parse HEAD` and `git status --porcelain -- Package.swift Sources`
///   in the checkout this binary was compiled from (its root is derived from this file's compile-time path). So it
///   needs no build step and works from a clean checkout; when git is absent, the checkout is gone (a binary
///   copied elsewhere) or git refuses, the values are "unknown". It describes the tree as it is when the command
///   runs: `binary_sha256` identifies the binary itself.
/// - binary: the SHA-256 of the running executable (/proc/<pid>/exe on Linux, else its path).
/// - Swift: the newest version of the `#if compiler(>=…)` chain below that the compiler satisfied at build time —
///   a lower bound, written ">=6.3.1"; not the exact patch level of a newer compiler.
/// - GSL and SQLite: the run-time libraries' own version strings.
enum ProvenanceProbe {
    static let current: Provenance = {
        let git = gitState()
        return Provenance(
            gitCommit: git.commit, gitDirty: git.dirty, binarySHA256: binarySHA256(), swift: swiftCompiler,
            gsl: GSL.version, sqlite: SQLiteLibrary.version)
    }()

    static var swiftCompiler: String {
        #if compiler(>=7.0)
            return ">=7.0"
        #elseif compiler(>=6.5)
            return ">=6.5"
        #elseif compiler(>=6.4)
            return ">=6.4"
        #elseif compiler(>=6.3.3)
            return ">=6.3.3"
        #elseif compiler(>=6.3.2)
            return ">=6.3.2"
        #elseif compiler(>=6.3.1)
            return ">=6.3.1"
        #elseif compiler(>=6.3)
            return ">=6.3"
        #else
            return Provenance.unknown
        #endif
    }

    /// The checkout this file was compiled in: the folder holding Sources/onboarding-lab/Support/.
    static var sourceRoot: String? {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let package = url.appendingPathComponent("Package.swift").path
        return FileManager.default.fileExists(atPath: package) ? url.path : nil
    }

    static func gitState() -> (commit: String, dirty: Bool?) {
        guard let root = sourceRoot,
            let head = run(["git", "-C", root, "rev-parse", "--verify", "HEAD"])?
                .trimmingCharacters(in: .whitespacesAndNewlines),
            head.count == 40, head.allSatisfy(\.isHexDigit)
        else { return (Provenance.unknown, nil) }
        let status = run(["git", "-C", root, "status", "--porcelain", "--", "Package.swift", "Sources"])
        return (head.lowercased(), status.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
    }

    /// The running binary's SHA-256: coreutils' `sha256sum` of /proc/<pid>/exe when it is on PATH (a debug build's
    /// own SHA-256 of a 35 MB binary takes seconds), else ``SHA256`` of the file — the same digest (the CLI tests
    /// check both against the file). Remembered per build of the binary in ``FileDigestCache/standard(environment:)``
    /// (README "Provenance"), so only a new binary's first command pays for the hash.
    static func binarySHA256(cache: FileDigestCache? = .standard()) -> String {
        let own = "/proc/\(ProcessInfo.processInfo.processIdentifier)/exe"
        guard
            let path = [own, Bundle.main.executablePath].compactMap({ $0 }).first(where: {
                FileManager.default.fileExists(atPath: $0)
            })
        else { return Provenance.unknown }
        let name = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
        let compute = { (path: String) -> String? in
            if let line = run(["sha256sum", path]) {
                let digest = String(line.prefix(64))
                if digest.count == 64, digest.allSatisfy(\.isHexDigit) { return digest }
            }
            return SHA256.hex(contentsOfFile: path)
        }
        let digest = cache.map { $0.digest(ofFile: path, name: name, compute: compute) } ?? compute(path)
        return digest ?? Provenance.unknown
    }

    /// Standard output of a command found on PATH, or nil when it cannot start or exits non-zero. Never takes a
    /// git lock (GIT_OPTIONAL_LOCKS=0), so it cannot disturb a git command running in the checkout.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
