import Foundation
import Synchronization

/// A progress bar with ETA on stderr, drawn only when stderr is a terminal (and not `--quiet`).
///
/// Thread-safe: replicates report from their worker threads. Redraws at most ten times a second.
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw: Double = 0
        var drawn = false
    }

    private let label: String
    private let enabled: Bool
    private let start: Double
    private let state = Mutex(State())

    init(label: String, quiet: Bool) {
        self.label = label
        self.enabled = !quiet && isatty(STDERR_FILENO) == 1
        self.start = ProgressBar.now()
    }

    static func now() -> Double { Date().timeIntervalSinceReferenceDate }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let now = ProgressBar.now()
        state.withLock { s in
            guard now - s.lastDraw >= 0.1 || done == total else { return }
            s.lastDraw = now
            s.drawn = true
            let fraction = Double(done) / Double(total)
            let width = 30
            let filled = Int(fraction * Double(width))
            let elapsed = now - start
            let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let line =
                "\r\(label) \(bar) \(String(format: "%5.1f", fraction * 100))%  elapsed \(Self.clock(elapsed))  ETA \(Self.clock(eta)) "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        guard enabled else { return }
        state.withLock { s in
            if s.drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
