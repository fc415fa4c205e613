import Stochastics
import Testing

// Reference values in this test target are pasted from Python's `repr` of a float64 result (the shortest decimal
// that round-trips, i.e. the full double), unless a comment says they come from a printed table.

/// Expects |actual − expected| ≤ rel·|expected| (exact equality when `expected` is 0), printing the observed error.
func expectClose(
    _ actual: Double, _ expected: Double, rel: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let error = abs(actual - expected)
    let relative = expected == 0 ? error : error / abs(expected)
    #expect(
        actual.isFinite && error <= rel * abs(expected),
        "\(what): got \(actual), expected \(expected), relative error \(relative) (tolerance \(rel))",
        sourceLocation: sourceLocation)
}

/// Expects |actual − expected| ≤ absolute, for values compared with a table printed to a fixed number of decimals.
func expectWithin(
    _ actual: Double, _ expected: Double, absolute: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        abs(actual - expected) <= absolute,
        "\(what): got \(actual), expected \(expected) ± \(absolute)", sourceLocation: sourceLocation)
}

/// Expects both bounds of `interval` close to the references (relative tolerance, exact when a reference is 0).
func expectInterval(
    _ interval: Interval?, _ lower: Double, _ upper: Double, rel: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let interval else {
        Issue.record("\(what): no interval", sourceLocation: sourceLocation)
        return
    }
    expectClose(interval.lower, lower, rel: rel, what + " lower", sourceLocation: sourceLocation)
    expectClose(interval.upper, upper, rel: rel, what + " upper", sourceLocation: sourceLocation)
}

/// Whether every number of a test result is finite (the CSV contract).
func isNumeric(_ result: TestResult) -> Bool {
    result.statistic.isFinite && result.pValue.isFinite && result.estimate.isFinite
        && (result.interval.map { $0.lower.isFinite && $0.upper.isFinite } ?? true)
        && (0...1).contains(result.pValue)
}
