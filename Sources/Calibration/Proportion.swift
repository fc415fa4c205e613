import Stochastics

/// A probability estimated from `successes` out of `trials`: the point estimate k/n, the Wilson 95% interval,
/// and the Beta(1 + k, 1 + n − k) posterior (uniform prior) that `--draws` samples from.
public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var trials: Int

    public init(successes: Int, trials: Int) {
        self.successes = successes
        self.trials = trials
    }

    /// Whether any user contributed; with none the estimate is the prior mean 0.5 and is reported as a gap.
    public var isEstimated: Bool { trials > 0 }

    /// k/n, or the uniform prior's mean 0.5 with no trials.
    public var point: Double { trials > 0 ? Double(successes) / Double(trials) : 0.5 }

    /// The Wilson 95% interval; [0, 1] with no trials.
    public var interval: Interval {
        guard trials > 0, let interval = try? Intervals.wilson(successes: successes, trials: trials) else {
            return Interval(lower: 0, upper: 1)
        }
        return interval
    }

    /// One draw from the Beta posterior.
    public func draw(_ random: RandomStream) -> Double {
        random.beta(Double(1 + successes), Double(1 + trials - successes))
    }

    /// `95% [lo, hi], k/n` for the YAML comments.
    public var comment: String {
        guard trials > 0 else { return "not estimated: no users (prior mean 0.5)" }
        return
            "95% Wilson [\(Format.fixed(interval.lower, 4)), \(Format.fixed(interval.upper, 4))], \(successes)/\(trials)"
    }
}
