import ArgumentParser

/// `onboarding-lab notebook …`: executable Markdown notebooks (SPEC §6).
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run or verify executable Markdown notebooks (notebooks-md/).",
        discussion: """
            A notebook is a Markdown file. A fenced block whose info string is `lab` holds `onboarding-lab …` \
            command lines only: no shell, no pipes, no other program (a line that is not an onboarding-lab command \
            is an error naming file:line). Commands run in order from the repository root, as this same \
            executable, and each block's standard output goes into the fenced `output` block right after it \
            (replaced, or created); every byte outside output blocks stays as it is. A command that fails has \
            its standard error and exit status recorded in its output block. Paths a command writes (--out, \
            --junit) must lie under results/; each is deleted before its command runs.
            """,
        subcommands: [NotebookRunCommand.self, NotebookCheckCommand.self])
}
