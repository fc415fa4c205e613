import OnboardingEngine

/// What `calibrate` reads: the signup period and the smallest flow kept.
public struct CalibrationOptions: Sendable, Equatable {
    /// First signup minute included (floored to its day); nil: the first signup's day.
    public var since: Minute?
    /// First minute excluded (floored to its day); nil or later than the data: the day of the latest record.
    public var until: Minute?
    /// Presented sequences with fewer users are reported and left out (v3 default flows are always kept);
    /// also the group size conditional retention needs. At least 1.
    public var minSample: Int

    public init(since: Minute? = nil, until: Minute? = nil, minSample: Int = 30) {
        self.since = since
        self.until = until
        self.minSample = minSample
    }
}
