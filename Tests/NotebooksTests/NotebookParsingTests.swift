import Notebooks
import Testing

/// The grammar of lab blocks: what is refused, with file:line, and what an argument is.
@Suite("notebook parsing")
struct NotebookParsingTests {
    static func refusal(_ body: String) -> NotebookError? {
        do {
            _ = try Notebook(text: "# Title\n\nprose\n```lab\n\(body)\n```\n", file: "nb/x.md")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("rm -rf /", "only `onboarding-lab …` commands"),
        ("onboarding-lab run s.yaml | tee log", "'|' is shell syntax"),
        ("onboarding-lab run s.yaml > out.txt", "'>' is shell syntax"),
        ("onboarding-lab run s.yaml; rm -rf /", "';' is shell syntax"),
        ("onboarding-lab run $(cat s)", "'$' is shell syntax"),
        ("onboarding-lab validate scenarios/*.yaml", "'*' is shell syntax"),
        ("sh -c 'onboarding-lab run s.yaml'", "only `onboarding-lab …` commands"),
        ("/usr/bin/onboarding-lab run s.yaml", "only `onboarding-lab …` commands"),
        ("onboarding-lab run 'unclosed", "unclosed ' quote"),
        ("onboarding-lab notebook run other.md", "cannot run `onboarding-lab notebook"),
        ("onboarding-lab run s.yaml --out /tmp/x", "--out must name a path under results/"),
        ("onboarding-lab run s.yaml --out=results/../x", "--out must name a path under results/"),
        ("onboarding-lab run s.yaml --out results", "--out must name a path under results/"),
        ("onboarding-lab check s.yaml --junit ci.xml", "--junit must name a path under results/"),
        ("onboarding-lab run s.yaml --out", "--out needs a value"),
    ])
    func refusedLineNamesFileAndLine(line: String, reason: String) throws {
        let error = try #require(Self.refusal("onboarding-lab truth ok.yaml\n" + line))
        #expect(error.file == "nb/x.md")
        #expect(error.line == 6, "the refused line is the 6th of the file")
        #expect(error.description.hasPrefix("nb/x.md:6: "))
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test func unclosedAndEmptyBlocks() throws {
        #expect(throws: NotebookError(file: "f.md", line: 2, reason: "the lab block is never closed")) {
            try Notebook(text: "a\n```lab\nonboarding-lab truth s.yaml\n", file: "f.md")
        }
        #expect(throws: NotebookError(file: "f.md", line: 1, reason: "the lab block holds no command")) {
            try Notebook(text: "```lab\n\n```\n", file: "f.md")
        }
        #expect(throws: NotebookError(file: "f.md", line: 4, reason: "the output block is never closed")) {
            try Notebook(text: "```lab\nonboarding-lab truth s.yaml\n```\n```output\nx\n", file: "f.md")
        }
    }

    @Test func argumentsAreSplitWithoutAShell() throws {
        let notebook = try Notebook(
            text: """
                ```lab
                onboarding-lab sweep "scenarios/a b.yaml"  --set 'engine.policy=[thompson, ucb1]'\t--out=results/nb/./s/
                onboarding-lab tune s.yaml --grid engine.epsilon=0:0.3:0.05 --seed 7
                ```

                """, file: "f.md")
        let commands = notebook.commands
        #expect(commands.count == 2)
        #expect(
            commands[0].arguments == [
                "sweep", "scenarios/a b.yaml", "--set", "engine.policy=[thompson, ucb1]", "--out=results/nb/./s/",
            ])
        #expect(commands[0].outputPath == "results/nb/s")
        #expect(commands[0].line == 2)
        #expect(commands[1].arguments.last == "7")
        #expect(commands[1].outputPath == nil)
    }

    @Test func failedCommandRecordsStandardErrorAndExitStatus() {
        let outcome = CommandOutcome(stdout: "partial", stderr: "error: s.yaml:3:1: bad", exitCode: 2)
        #expect(
            outcome.outputText(line: 12)
                == "partial\n--- standard error of line 12\nerror: s.yaml:3:1: bad\n--- exit status 2\n")
        #expect(CommandOutcome(stdout: "fine\n", stderr: "warning: w", exitCode: 0).outputText(line: 1) == "fine\n")
    }
}
