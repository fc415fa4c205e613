import CGSL

/// Argument checks shared by the statistics layer; each throws a ``StatisticsError`` that names the routine.
enum Validation {
    /// `x` is non-empty, holds at least `minimumCount` values, and every value is finite.
    static func sample(_ x: [Double], minimumCount: Int = 1, name: String = "x", in routine: String) throws {
        guard !x.isEmpty else { throw StatisticsError("\(routine): \(name) is empty") }
        guard x.count >= minimumCount else {
            throw StatisticsError("\(routine): \(name) has \(x.count) value(s), at least \(minimumCount) needed")
        }
        if let index = x.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError("\(routine): \(name)[\(index)] = \(x[index]) is not finite")
        }
    }

    /// Two samples of equal length, as paired designs need.
    static func paired<T>(_ x: [T], _ y: [T], in routine: String) throws {
        guard x.count == y.count else {
            throw StatisticsError("\(routine): paired samples have different lengths (\(x.count) vs \(y.count))")
        }
    }

    /// A confidence level strictly between 0 and 1.
    static func level(_ level: Double, in routine: String) throws {
        guard level.isFinite, level > 0, level < 1 else {
            throw StatisticsError("\(routine): confidence level \(level) is outside (0, 1)")
        }
    }

    /// A probability in the closed interval [0, 1].
    static func probability(_ p: Double, in routine: String) throws {
        guard p.isFinite, p >= 0, p <= 1 else {
            throw StatisticsError("\(routine): probability \(p) is outside [0, 1]")
        }
    }

    /// A binomial count: `trials ≥ 1` and `0 ≤ successes ≤ trials`.
    static func counts(successes: Int, trials: Int, in routine: String) throws {
        guard trials >= 1 else { throw StatisticsError("\(routine): trials = \(trials), at least 1 needed") }
        guard successes >= 0, successes <= trials else {
            throw StatisticsError("\(routine): successes = \(successes) is outside 0...\(trials)")
        }
    }

    /// A value a GSL routine produced, rejected when GSL signalled failure through NaN or an infinity.
    ///
    /// GSL's special functions report failures through the error handler (switched off by ``GSL/prepare()``) and
    /// return NaN; the status is then `GSL_EFAILED` unless the caller knows better.
    static func gslValue(_ value: Double, status: Int32 = Int32(GSL_EFAILED), _ operation: @autoclosure () -> String)
        throws -> Double
    {
        guard value.isFinite else { throw GSLError(status: status, operation: operation()) }
        return value
    }

    /// A finished result that must be finite (guards against overflow on extreme but finite input).
    static func finite(_ value: Double, _ what: String, in routine: String) throws -> Double {
        guard value.isFinite else {
            throw StatisticsError("\(routine): \(what) is not finite (\(value)); the input is too extreme")
        }
        return value
    }
}
