import Foundation
import Testing

@testable import Scenarios

/// A file that is not UTF-8 is rejected with the line, column and byte offset of its first invalid byte.
@Suite struct NonUTF8Tests {
    @Test func locatesTheFirstInvalidByte() throws {
        let bytes: [UInt8] = Array("name: x\ndescription: \"caf".utf8) + [0xE9] + Array("\"\n".utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).yaml")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(path: url.path) }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.location.line == 2)
        #expect(diagnostic.location.column == 18)
        #expect(diagnostic.reason.contains("byte offset 25"), "\(diagnostic)")
        #expect(diagnostic.reason.contains("0xE9"), "\(diagnostic)")
    }

    @Test func truncatedMultiByteSequenceAtTheEnd() {
        let bad = ScenarioLoader.firstInvalidUTF8(Data(Array("a\nbc".utf8) + [0xE2, 0x82]))
        #expect(bad.offset == 4 && bad.line == 2 && bad.column == 3)
    }
}
