/// One `onboarding-lab …` line of a `lab` block, split into arguments without a shell.
///
/// Words are separated by spaces or tabs; `'…'` and `"…"` quote a word (no escapes inside). Everything a shell
/// would interpret — pipes, redirections, `;`, `&`, `$`, backticks, globs, backslashes, parentheses — is refused
/// outside quotes, because nothing runs a shell. Options that write files (`--out`, `--junit`) must name a path under
/// `results/`, so that a notebook never writes outside the repository's results folder.
public struct LabCommand: Equatable, Sendable {
    /// The only program a notebook may run.
    public static let program = "onboarding-lab"
    /// Options whose value is a path the command writes.
    public static let writingOptions = ["--out", "--junit"]
    /// The folder every written path must lie under.
    public static let resultsFolder = "results"

    /// 1-based line in the notebook.
    public var line: Int
    /// The arguments after `onboarding-lab`.
    public var arguments: [String]

    /// The line as written in the notebook, re-joined (for messages).
    public var display: String { ([Self.program] + arguments).joined(separator: " ") }

    /// The `--out` path (a results folder, or a file for `calibrate`), normalised, when the command has one.
    public var outputPath: String? { writtenPaths.first { $0.option == "--out" }?.path }

    /// Every path the command writes, with its option, in order.
    public var writtenPaths: [(option: String, path: String)] {
        var result: [(String, String)] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            for option in Self.writingOptions {
                if argument == option, i + 1 < arguments.count {
                    result.append((option, Self.normalised(arguments[i + 1])))
                } else if argument.hasPrefix(option + "=") {
                    result.append((option, Self.normalised(String(argument.dropFirst(option.count + 1)))))
                }
            }
            i += 1
        }
        return result
    }

    public init(line: Int, arguments: [String]) {
        self.line = line
        self.arguments = arguments
    }

    /// Parses one line of a lab block; `file` and `line` locate the errors.
    public static func parse(_ text: String, file: String, line: Int) throws(NotebookError) -> LabCommand {
        func fail(_ reason: String) -> NotebookError { NotebookError(file: file, line: line, reason: reason) }
        let words: [String]
        do {
            words = try split(text)
        } catch {
            throw fail(error.reason)
        }
        guard let first = words.first, first == program else {
            throw fail(
                "only `\(program) …` commands may appear in a lab block (no shell, no other program), found '\(Substring(text).trimmedSpaces())'"
            )
        }
        let command = LabCommand(line: line, arguments: Array(words.dropFirst()))
        if command.arguments.first == "notebook" {
            throw fail("a notebook cannot run `\(program) notebook …`")
        }
        for (index, argument) in command.arguments.enumerated() where writingOptions.contains(argument) {
            if index + 1 == command.arguments.count { throw fail("\(argument) needs a value") }
        }
        for (option, path) in command.writtenPaths where !isUnderResults(path) {
            throw fail(
                "\(option) must name a path under \(resultsFolder)/ (e.g. \(resultsFolder)/<notebook>/<name>), found '\(path)'"
            )
        }
        return command
    }

    /// True for a relative path inside `results/` (not `results` itself, no `..`).
    static func isUnderResults(_ path: String) -> Bool {
        guard !path.hasPrefix("/") else { return false }
        let parts = path.split(separator: "/")
        return parts.count >= 2 && parts[0] == resultsFolder && !parts.contains("..")
    }

    /// `a//b/./c/` → `a/b/c`.
    static func normalised(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    struct SplitError: Error {
        var reason: String
    }

    /// Characters a shell would interpret; refused outside quotes.
    static let shellCharacters: Set<Character> = [
        "|", "&", ";", "<", ">", "$", "`", "\\", "*", "?", "(", ")", "{", "}", "~", "!", "#",
    ]

    static func split(_ text: String) throws(SplitError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            switch character {
            case " ", "\t":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "'", "\"":
                quote = character
                inWord = true
            default:
                if shellCharacters.contains(character) && !(character == "~" && inWord)
                    && !(character == "!" && inWord) && !(character == "#" && inWord)
                {
                    throw SplitError(
                        reason:
                            "'\(character)' is shell syntax, and a lab block runs its commands without a shell (quote it if it is part of an argument)"
                    )
                }
                current.append(character)
                inWord = true
            }
        }
        if let open = quote { throw SplitError(reason: "unclosed \(open) quote") }
        if inWord { words.append(current) }
        return words
    }
}
