import LabTestSupport
import Testing

/// Key lines of `--help`, pinned (usage lines and option names), not the whole text.
@Suite("help output")
struct HelpOutputTests {
    func help(_ arguments: String...) throws -> [String] {
        let r = try CLIRunner.run(arguments + ["--help"])
        #expect(r.exitCode == 0, "\(r)")
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func engine() throws {
        let lines = try help("engine")
        #expect(lines.first == "OVERVIEW: Operate the v4 engine on a SQLite database.")
        #expect(lines.contains("USAGE: onboarding-lab engine <subcommand>"))
        for name in ["init", "assign", "event", "outcome", "nightly", "settings"] {
            #expect(lines.contains { $0.hasPrefix("  \(name) ") }, "subcommand \(name)")
        }
        let text = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("minutes since 1970-01-01T00:00Z"))
        #expect(text.contains("6 the engine refused the request"))
    }

    @Test func engineSubcommands() throws {
        let usages = [
            ("init", "USAGE: onboarding-lab engine init <database> [--config <file.yaml>] --at <time>"),
            (
                "assign",
                "USAGE: onboarding-lab engine assign <database> --user <user> --persona <persona> --at <time> [--seed <seed>] [--format <format>]"
            ),
            (
                "event",
                "USAGE: onboarding-lab engine event <database> --user <user> --event <event> --at <time> [--metadata <json>]"
            ),
            (
                "outcome",
                "USAGE: onboarding-lab engine outcome <database> --user <user> --outcome <outcome> --at <time>"
            ),
            ("nightly", "USAGE: onboarding-lab engine nightly <database> --at <time> [--format <format>]"),
            (
                "settings",
                "USAGE: onboarding-lab engine settings <database> [--set <key=value> ...] [--at <time>] [--format <format>]"
            ),
        ]
        for (name, usage) in usages {
            let lines = try help("engine", name)
            #expect(lines.contains(usage), "\(name):\n\(lines.joined(separator: "\n"))")
            #expect(lines.contains { $0.hasPrefix("  <database>") })
        }
        let assign = try help("engine", "assign").joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(assign.contains(#"stream: "policy:" + USER"#))
    }

    @Test func truthAndConfidence() throws {
        #expect(try help("truth").contains("USAGE: onboarding-lab truth <scenario> [--day <day>] [--format <format>]"))
        for command in ["run", "sweep", "compare", "merge", "check", "tune"] {
            #expect(try help(command).contains { $0.contains("--confidence <confidence>") }, "\(command)")
        }
    }

    /// `notebook --help` lists run and check (it used to print the top-level help); `report` takes sections.
    @Test func notebookAndReport() throws {
        let lines = try help("notebook")
        #expect(lines.first == "OVERVIEW: Run or verify executable Markdown notebooks (notebooks-md/).")
        #expect(lines.contains("USAGE: onboarding-lab notebook <subcommand>"))
        for name in ["run", "check"] {
            #expect(lines.contains { $0.hasPrefix("  \(name) ") }, "subcommand \(name)")
            #expect(
                try help("notebook", name).contains(
                    "USAGE: onboarding-lab notebook \(name) <file> ... [--root <dir>] [--quiet]"))
        }
        let check = try help("notebook", "check").joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(check.contains("Exit codes: 0 every notebook is reproduced; 1 something differs or a command failed"))
        #expect(try help("report").contains("USAGE: onboarding-lab report <folder> [--section <name> ...]"))
    }

    @Test func calibrate() throws {
        let lines = try help("calibrate")
        #expect(
            lines.contains(
                "USAGE: onboarding-lab calibrate <database> --out <file> [--since <time>] [--until <time>] [--min-sample <n>] [--draws <k>] [--seed <seed>] [--name <name>]"
            ))
        let text = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("Exit 4 when the contents cannot make a scenario"))
        #expect(text.contains("--draws K also writes <out stem>.draw-01.yaml"))
    }

    @Test func inspect() throws {
        let lines = try help("inspect")
        #expect(
            lines.contains(
                "USAGE: onboarding-lab inspect <database> [--section <section>] [--format <format>] [--persona <persona>] [--days <n>] [--at <time>]"
            ))
        for option in ["--section <section>", "--format <format>", "--persona <persona>", "--days <n>", "--at <time>"] {
            #expect(lines.contains { $0.hasPrefix("  \(option)") }, "option \(option)")
        }
        let text = lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(text.contains("values: patterns, champions, jobs, events, trend, all; default: all"))
        #expect(text.contains("values: table, csv, json; default:"))
    }
}
