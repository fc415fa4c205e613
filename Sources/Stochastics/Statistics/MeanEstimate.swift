/// A sample mean with its standard deviation and a confidence interval for the population mean.
public struct MeanEstimate: Sendable, Equatable, Hashable, Codable {
    /// The number of observations.
    public var n: Int
    /// The sample mean.
    public var mean: Double
    /// The sample standard deviation (divisor n − 1); 0 when n = 1.
    public var standardDeviation: Double
    /// The confidence interval for the mean.
    public var interval: Interval

    public init(n: Int, mean: Double, standardDeviation: Double, interval: Interval) {
        self.n = n
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.interval = interval
    }
}
