/// Engine time: whole minutes since an epoch the caller chooses.
///
/// The engine never reads the wall clock (SPEC §1.1). In simulation the epoch is the scenario start, so day `d`
/// covers minutes `[1440·d, 1440·(d+1))`; on a real database the CLI uses minutes since 1970-01-01T00:00Z.
/// Integer minutes keep every sum the learning job computes exact, which is what lets the SQLite and memory
/// stores agree bit for bit.
public typealias Minute = Int

public enum Clock {
    public static let minutesPerDay: Minute = 1440

    /// The day that contains `minute` (floor division, so negative minutes land on negative days).
    @inlinable
    public static func day(of minute: Minute) -> Int {
        minute >= 0 ? minute / minutesPerDay : -((-minute + minutesPerDay - 1) / minutesPerDay)
    }
}
