import OnboardingEngine
import OnboardingPersistence

/// Store factories for tests outside the engine's own suite.
public enum LabStores {
    public static func sqlite() throws -> any EngineStore { try SQLiteStore() }
}
