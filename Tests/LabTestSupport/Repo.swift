import Foundation

/// Paths inside the repository, for tests that read the curated scenarios.
public enum Repo {
    public static var root: URL { CLIRunner.packageRoot }

    public static func scenario(_ name: String) -> String { root.appendingPathComponent("scenarios/\(name)").path }
}
