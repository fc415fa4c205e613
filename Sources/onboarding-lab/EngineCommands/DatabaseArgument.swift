import ArgumentParser

/// The engine database an `engine` or `inspect` subcommand works on: always the first argument.
struct DatabaseArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The engine database (a SQLite file).", valueName: "database"))
    var path: String

    mutating func validate() throws {
        guard !path.isEmpty else { throw ValidationError("the database path is empty") }
    }
}
