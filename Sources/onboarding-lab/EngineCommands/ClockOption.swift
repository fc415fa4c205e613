import ArgumentParser

/// The required `--at TIME` of the commands that change the database: the engine never reads the wall clock.
struct ClockOption: ParsableArguments {
    @Option(
        name: .customLong("at"),
        help: ArgumentHelp("The time of the operation. \(TimeArgument.helpText)", valueName: "time"),
        transform: { try TimeArgument.parse($0) })
    var time: TimeArgument

    var minute: Int { time.minute }
}
