import Foundation

/// Lines for the user that are not data (errors, warnings): written to stderr, so stdout stays parseable.
enum StandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
