import Dashboard
import Testing

/// The dashboard's small pieces: step differences, the token comparison, Wilson intervals of stored rates.
@Suite("dashboard units")
struct DashboardUnitTests {
    @Test func flowDifferencesMarkSameMovedAddedAndMissing() {
        let d = FlowDifferences(steps: ["b", "a", "x"], champion: ["a", "b", "c"])
        #expect(d.steps.map(\.mark) == [.moved, .moved, .added])
        #expect(d.missing == ["c"])
        #expect(!d.isIdentical)
        let same = FlowDifferences(steps: ["a", "b"], champion: ["a", "b"])
        #expect(same.isIdentical && same.steps.map(\.mark) == [.same, .same])
        let prefix = FlowDifferences(steps: ["a"], champion: ["a", "b"])
        #expect(prefix.steps.map(\.mark) == [.same] && prefix.missing == ["b"] && !prefix.isIdentical)
    }

    @Test func tokensCompareByValueOnly() {
        #expect(AdminGuard.constantTimeEqual("abcdefghijklmnop", "abcdefghijklmnop"))
        #expect(!AdminGuard.constantTimeEqual("abcdefghijklmnop", "abcdefghijklmnoq"))
        #expect(!AdminGuard.constantTimeEqual("abcdefghijklmnop", "abcdefghijklmno"))
        #expect(!AdminGuard.constantTimeEqual("", "a"))
        #expect(AdminGuard.constantTimeEqual("", ""))
        // Lengths that differ by a multiple of 256 still differ.
        #expect(!AdminGuard.constantTimeEqual(String(repeating: "a", count: 256), ""))
    }

    @Test func tokenFilesAreTrimmedAndChecked() throws {
        #expect(try AdminGuard.token(fromFileContents: "  0123456789abcdef\n", path: "t") == "0123456789abcdef")
        #expect(throws: DashboardError.self) { try AdminGuard.token(fromFileContents: "short\n", path: "t") }
        #expect(throws: DashboardError.self) {
            try AdminGuard.token(fromFileContents: "0123456789 abcdef", path: "t")
        }
        let guard1 = AdminGuard(adminToken: nil)
        let guard2 = AdminGuard(adminToken: nil)
        #expect(guard1.csrfToken.count == 64 && guard1.csrfToken != guard2.csrfToken, "a fresh CSRF token per process")
    }

    @Test func wilsonIntervalsOfStoredRates() throws {
        // 0.76 of 100 users: 76 successes; Wilson 95% [0.6677, 0.8331] (Newcombe 1998, method 3).
        let i = try #require(PerformanceRow.wilson(0.76, n: 100))
        #expect(abs(i.lower - 0.6677) < 5e-4 && abs(i.upper - 0.8331) < 5e-4, "\(i)")
        #expect(PerformanceRow.wilson(0.5, n: 0) == nil)
        #expect(PerformanceRow.wilson(1.5, n: 10) == nil)
        #expect(try #require(PerformanceRow.wilson(0, n: 20)).lower == 0)
    }
}
