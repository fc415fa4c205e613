/// The truth values written for one flow: the point estimates, or one draw from the posteriors.
struct TruthValues {
    var activation: Double
    var retention: Double
    var conditionalRetention: (ifActivated: Double, ifNot: Double)?
    var upgrade: Double
    /// (family, median, σ); nil when not estimated.
    var timeToWin: (family: TimeToWinFit.Family, median: Double, sigma: Double)?
}
