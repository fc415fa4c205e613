import Foundation
import OnboardingEngine

/// Locations of the test fixtures and of the package's files, found from this source file (the package declares no
/// test resources).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = packageRoot.appendingPathComponent("scenarios/scenario.schema.json")

    static func url(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }
}

extension EngineSettings {
    /// The seed's settings with `change` applied (EngineSettings has no memberwise initialiser).
    static func with(_ change: (inout EngineSettings) -> Void) -> EngineSettings {
        var settings = EngineSettings()
        change(&settings)
        return settings
    }
}
