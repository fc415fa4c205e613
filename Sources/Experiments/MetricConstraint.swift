import Foundation
import Stochastics

/// `tune --require metric>=value` (or `<=`): a bound a configuration's mean must meet to win.
///
/// The metric is one of ``RacingOptions/objectives`` and is read for the race's persona; a per-persona metric
/// (`final_champion_correct`) with persona `ALL` must hold for every persona.
public struct MetricConstraint: Sendable, Equatable, CustomStringConvertible {
    public enum Bound: String, Sendable, Equatable {
        case atLeast = ">="
        case atMost = "<="
    }

    public var metric: String
    public var bound: Bound
    public var value: Double

    public init(metric: String, bound: Bound, value: Double) {
        self.metric = metric
        self.bound = bound
        self.value = value
    }

    /// Parses `metric>=value` or `metric<=value` (spaces around the parts are ignored).
    public init(parsing text: String) throws {
        let bound: Bound
        let range: Range<String.Index>
        if let r = text.range(of: ">=") {
            (bound, range) = (.atLeast, r)
        } else if let r = text.range(of: "<=") {
            (bound, range) = (.atMost, r)
        } else {
            throw StatisticsError("--require expects metric>=value or metric<=value, found '\(text)'")
        }
        let metric = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        let number = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard RacingOptions.objectives.contains(metric) else {
            throw StatisticsError(
                "--require '\(text)': unknown metric '\(metric)'; metrics: \(RacingOptions.objectives.joined(separator: ", "))"
            )
        }
        guard let value = Double(number), value.isFinite else {
            throw StatisticsError("--require '\(text)': '\(number)' is not a number")
        }
        self.init(metric: metric, bound: bound, value: value)
    }

    /// Whether a mean meets the bound.
    public func isMet(by mean: Double) -> Bool {
        switch bound {
        case .atLeast: return mean >= value
        case .atMost: return mean <= value
        }
    }

    public var description: String {
        "\(metric)\(bound.rawValue)\(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)")"
    }
}
