import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `onboarding-lab serve …`: the web dashboard (SPEC §5.3), which lives in its own executable,
/// `onboarding-lab-serve`, so that `onboarding-lab` builds without the web stack (Hummingbird, SwiftNIO).
///
/// This command replaces itself with `onboarding-lab-serve` (found beside this executable, then on `PATH`),
/// passing every argument through unchanged; `onboarding-lab serve --help` therefore prints the dashboard's own help.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web dashboard of an engine database (runs onboarding-lab-serve).",
        discussion: """
            The dashboard is the separate executable onboarding-lab-serve (swift build -c release --product \
            onboarding-lab-serve); this command runs it with the same arguments. See `onboarding-lab serve --help` \
            once it is built. Exit 127 when onboarding-lab-serve is neither beside onboarding-lab nor on PATH.
            """)

    /// The executable this command runs.
    static let serverName = "onboarding-lab-serve"

    @Argument(parsing: .captureForPassthrough, help: "The arguments of onboarding-lab-serve (DB and its options).")
    var arguments: [String] = []

    func run() throws {
        guard let server = Self.locateServer() else {
            StandardError.write(
                "error: \(Self.serverName) is not built: run `swift build -c release --product \(Self.serverName)` "
                    + "(it must sit beside onboarding-lab or on PATH)")
            throw ExitCode(127)
        }
        let argv = [server] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(server, cArguments)
        let reason = String(cString: strerror(errno))
        StandardError.write("error: cannot run \(server): \(reason)")
        throw ExitCode(127)
    }

    /// `onboarding-lab-serve` beside this executable, else the first one on `PATH`.
    static func locateServer() -> String? {
        var folders: [String] = []
        if let own = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path {
            folders.append(own)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        folders += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return folders.map { $0 + "/" + serverName }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
