import Foundation
import Yams

/// Reads scenario files (SPEC §2.1): YAML → `Scenario`, with every default applied and every rule checked.
///
/// Problems are reported all at once, as a `ScenarioError` whose diagnostics name `file:line:column`, the setting
/// path and the reason, sorted by line and column.
public enum ScenarioLoader {
    /// What the file is for.
    public enum Mode: Sendable, Equatable {
        /// A simulation scenario: `name`, `traffic` and `personas` are required, and every persona needs an
        /// `activation_event`, a non-empty `v3_default` and at least one flow, every flow a `truth`.
        case scenario
        /// An engine configuration for `engine init DB --config file.yaml`: only `personas` is required; a
        /// persona needs just its id (`activation_event` defaults to empty, `v3_default` and `flows` to none),
        /// `truth` is optional (validated when present, unused by the engine), `name` defaults to the file's stem
        /// and `traffic` to no signups; horizon rules on drift and check days are not applied.
        case engineConfiguration
    }

    /// Reads and parses the file at `path`; the diagnostics use `path` as the file name.
    public static func load(path: String, mode: Mode = .scenario) throws -> Scenario {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioError(diagnostics: [
                Diagnostic(
                    location: SourceLocation(file: path, line: 0, column: 0), path: "",
                    reason: "cannot read the file: \(error.localizedDescription)")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let bad = firstInvalidUTF8(data)
            throw ScenarioError(diagnostics: [
                Diagnostic(
                    location: SourceLocation(file: path, line: bad.line, column: bad.column), path: "",
                    reason:
                        "the file is not valid UTF-8 text: the first invalid byte (0x\(String(bad.byte, radix: 16, uppercase: true))) is at byte offset \(bad.offset)"
                )
            ])
        }
        return try parse(text, file: path, mode: mode)
    }

    /// Where the first byte that is not part of valid UTF-8 is: its 0-based offset, its 1-based line and column
    /// (the column counts bytes), and its value.
    static func firstInvalidUTF8(_ data: Data) -> (offset: Int, line: Int, column: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        parsing: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: break parsing
            case .error: break parsing
            }
        }
        let before = bytes[..<min(offset, bytes.count)]
        let line = 1 + before.filter { $0 == 0x0A }.count
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return (offset, line, offset - lineStart + 1, offset < bytes.count ? bytes[offset] : 0)
    }

    /// Parses scenario text; `file` is only used to name locations.
    public static func parse(_ text: String, file: String, mode: Mode = .scenario) throws -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ScenarioError(diagnostics: [syntaxDiagnostic(error, file: file)])
        }
        var decoder = ScenarioDecoder(file: file, mode: mode)
        let scenario = decoder.decodeScenario(root)
        let diagnostics = sorted(decoder.diagnostics)
        guard diagnostics.isEmpty, let scenario else {
            throw ScenarioError(
                diagnostics: diagnostics.isEmpty
                    ? [
                        Diagnostic(
                            location: SourceLocation(file: file, line: 1, column: 1), path: "",
                            reason: "not a scenario")
                    ] : diagnostics)
        }
        return scenario
    }

    /// By line, then column, then the order found; duplicates removed.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<Diagnostic> = []
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { lhs, rhs in
            let l = lhs.element.location
            let r = rhs.element.location
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// A YAML syntax error at the line and column Yams reports.
    static func syntaxDiagnostic(_ error: Error, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: file, line: mark.line, column: mark.column)
        }
        func context(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            return " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        guard let yamlError = error as? YamlError else {
            return Diagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", reason: "\(error)")
        }
        switch yamlError {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _):
            return Diagnostic(location: at(mark), path: "", reason: "YAML syntax error: \(problem)\(context(ctx))")
        case .composer(let ctx, let problem, let mark, _):
            return Diagnostic(location: at(mark), path: "", reason: "YAML error: \(problem)\(context(ctx))")
        case .duplicatedKeysInMapping(let duplicates, let ctx):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(
                location: at(ctx.mark), path: "",
                reason: "duplicate key \(keys) in a mapping; each key may appear once")
        case .reader(let problem, let offset, _, let yaml):
            let location = offset.map { readerLocation(offset: $0, in: yaml, file: file) }
            return Diagnostic(
                location: location ?? SourceLocation(file: file, line: 1, column: 1), path: "",
                reason: "cannot read the text: \(problem)")
        default:
            return Diagnostic(
                location: SourceLocation(file: file, line: 1, column: 1), path: "", reason: "YAML error: \(yamlError)")
        }
    }

    /// Line and column (in Unicode scalars) of a character offset.
    private static func readerLocation(offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
