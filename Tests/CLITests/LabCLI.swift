import Foundation
import LabTestSupport
import Testing

/// Helpers shared by the CLI suites: a scratch folder, the built `onboarding-lab`, JSON parsing.
struct LabCLI {
    let folder: URL

    init() throws {
        folder = try CLIRunner.makeTemporaryDirectory(prefix: "onboarding-lab-cli")
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs `onboarding-lab` in the scratch folder.
    @discardableResult
    func run(_ arguments: String...) throws -> CLIResult {
        try CLIRunner.run(arguments, in: folder)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> CLIResult {
        try CLIRunner.run(arguments, in: folder)
    }

    /// Writes `text` to a file of the scratch folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    func bytes(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(name)))
    }

    /// Runs the system's `sqlite3` on a file of the scratch folder (callers check ``sqlite3`` first).
    @discardableResult
    func sqlite(_ name: String, _ sql: String) throws -> CLIResult {
        let tool = try #require(Self.sqlite3, "sqlite3 is not installed")
        let result = try CLIRunner.run(tool, [path(name), sql], in: folder)
        #expect(result.exitCode == 0, "\(result)")
        return result
    }

    static let sqlite3 = CLIRunner.systemTool(named: "sqlite3")
}

/// Parses JSON text (the CLI's `--format json`).
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// The first line of a usage error (exit 64) without ArgumentParser's "Error: " prefix, which the root command may
/// spell "error: " to match the lab's own messages.
func usageError(_ result: CLIResult) -> String {
    let line = String(result.stderr.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    for prefix in ["Error: ", "error: "] where line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
    return line
}

/// An engine configuration in the scenario format: two personas, candidate flows, a lowered champion law so that
/// a few dozen users can elect champions.
let sessionConfig = """
    # engine init --config: personas, engine and governance blocks
    personas:
      - id: mlm_newbie
        activation_event: first_lead
        v3_default: [{flow: A, variant: product_first}]
        flows:
          - id: A
            steps: [product_added, chatbot_setup, first_lead]
          - id: B
            steps: [chatbot_setup, product_added, first_lead]
            candidate: true
      - id: coach
        activation_event: first_booking
        v3_default: [{flow: X, variant: calendar_first, weight: 1}, {flow: Y, variant: profile_first, weight: 1}]
        flows:
          - id: X
            steps: [calendar_linked, profile_done, first_booking]
          - id: Y
            steps: [profile_done, calendar_linked, first_booking]
          - id: Z
            steps: [profile_done, first_booking]
            candidate: true
    engine:
      epsilon: 0.2
      min_champion_sample: 5
    governance: {max_epsilon: 0.3, min_champion_sample: 5, max_win_score_degradation: 0.1}
    """
