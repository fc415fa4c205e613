/// One axis of the sweep grid: a setting path (one of `Scenario.settingPaths`) and the values it takes.
public struct SweepAxis: Sendable, Equatable {
    public var path: String
    /// At least one value, no duplicates, each of the setting's type (integers for integer settings, numbers for
    /// number settings) and within its range.
    public var values: [SettingValue]
    /// The axis' key in the file.
    public var location: SourceLocation

    public init(path: String, values: [SettingValue], location: SourceLocation = .unknown) {
        self.path = path
        self.values = values
        self.location = location
    }

    /// Equal when path and values are equal.
    public static func == (lhs: SweepAxis, rhs: SweepAxis) -> Bool {
        lhs.path == rhs.path && lhs.values == rhs.values
    }
}
