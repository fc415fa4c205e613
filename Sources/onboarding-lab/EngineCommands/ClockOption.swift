import ArgumentParser
import Foundation
import OnboardingEngine
import OnboardingPersistence

/// `--at TIME` and `--backdate` of the commands that change the database.
///
/// The engine never reads the wall clock; the CLI does, once, when `--at` is omitted: the operation happens now
/// (UTC, whole minutes). An operation dated before the last completed nightly job is refused (exit 6) unless
/// `--backdate` is given: the job has already learnt from that past.
struct ClockOption: ParsableArguments {
    @Option(
        name: .customLong("at"),
        help: ArgumentHelp(
            "The time of the operation (default: now, UTC). \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var time: TimeArgument?

    @Flag(help: "Allow a time before the last completed nightly job (corrections, replays of old events).")
    var backdate = false

    /// The operation's minute: `--at`, or now.
    var minute: Minute { time?.minute ?? Self.now }

    /// The wall clock's minute, read once per process so every use in one command agrees.
    static let now: Minute = Int((Date().timeIntervalSince1970 / 60).rounded(.down))

    /// Refuses (``EngineError/invalidArgument(_:)``, exit 6) a time before the last completed nightly job of
    /// `engine`'s database, unless `--backdate`.
    func refuseBackdating(_ engine: V4Engine) throws {
        try Self.refuseBackdating(minute, engine: engine, allowed: backdate)
    }

    static func refuseBackdating(_ minute: Minute, engine: V4Engine, allowed: Bool) throws {
        guard !allowed, let store = engine.store as? SQLiteStore, let last = try store.lastCompletedNightly(),
            minute < last.startedAt
        else { return }
        throw EngineError.invalidArgument(
            "the operation's time \(TimeArgument.iso(minute)) is before the last completed nightly job "
                + "(\(last.id) at \(TimeArgument.iso(last.startedAt))): that night has already learnt from it; "
                + "pass --backdate to record it anyway")
    }
}
