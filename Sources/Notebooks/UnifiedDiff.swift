/// A unified diff (`diff -u` format) of two texts, line by line.
///
/// The common prefix and suffix are trimmed first; the differing middle is aligned by a longest common subsequence
/// (dynamic programming) when it is small enough (`maximumCells`), else it is shown removed and added whole — a
/// correct diff, only not minimal. The result is cut after `maximumLines` lines of hunks.
public enum UnifiedDiff {
    public static let context = 3
    static let maximumCells = 4_000_000

    enum Edit: Equatable {
        case same(Int, Int)
        case removed(Int)
        case added(Int)
    }

    /// "" when the texts are equal; otherwise `--- old`, `+++ new` and the hunks.
    public static func diff(
        _ old: String, _ new: String, oldLabel: String, newLabel: String, maximumLines: Int = 200
    ) -> String {
        if old == new { return "" }
        let a = SourceLine.split(old)
        let b = SourceLine.split(new)
        let edits = self.edits(a, b)
        var lines = ["--- \(oldLabel)", "+++ \(newLabel)"]
        var body: [String] = []
        for hunk in hunks(edits) {
            let first = edits[hunk.lowerBound]
            var oldStart = 0
            var newStart = 0
            switch first {
            case .same(let i, let j): (oldStart, newStart) = (i, j)
            case .removed(let i): (oldStart, newStart) = (i, position(in: edits, before: hunk.lowerBound).new)
            case .added(let j): (oldStart, newStart) = (position(in: edits, before: hunk.lowerBound).old, j)
            }
            var oldCount = 0
            var newCount = 0
            var text: [String] = []
            for edit in edits[hunk] {
                switch edit {
                case .same(let i, _):
                    oldCount += 1
                    newCount += 1
                    text.append(" " + show(a[i]))
                case .removed(let i):
                    oldCount += 1
                    text.append("-" + show(a[i]))
                case .added(let j):
                    newCount += 1
                    text.append("+" + show(b[j]))
                }
            }
            let oldFrom = oldCount == 0 ? oldStart : oldStart + 1
            let newFrom = newCount == 0 ? newStart : newStart + 1
            body.append("@@ -\(oldFrom),\(oldCount) +\(newFrom),\(newCount) @@")
            body += text
        }
        if body.count > maximumLines {
            let more = body.count - maximumLines
            body = Array(body.prefix(maximumLines)) + ["… (\(more) more diff lines)"]
        }
        lines += body
        return lines.joined(separator: "\n") + "\n"
    }

    /// A line for display: its content, marked when it has no line end or a CRLF one differs from LF.
    static func show(_ line: SourceLine) -> String {
        line.terminator.isEmpty ? line.content + "  (no line end)" : line.content
    }

    /// Old and new line positions just before edit `index` (for hunks that start with a change).
    static func position(in edits: [Edit], before index: Int) -> (old: Int, new: Int) {
        var old = 0
        var new = 0
        for edit in edits[..<index] {
            switch edit {
            case .same: (old, new) = (old + 1, new + 1)
            case .removed: old += 1
            case .added: new += 1
            }
        }
        return (old, new)
    }

    /// Ranges of `edits` to print: each change with `context` unchanged lines around it, close ones merged.
    static func hunks(_ edits: [Edit]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for (index, edit) in edits.enumerated() {
            if case .same = edit { continue }
            let lower = max(0, index - context)
            let upper = min(edits.count, index + context + 1)
            if let last = ranges.last, last.upperBound >= lower {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                ranges.append(lower..<upper)
            }
        }
        return ranges
    }

    static func edits(_ a: [SourceLine], _ b: [SourceLine]) -> [Edit] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix
            && a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        {
            suffix += 1
        }
        var edits = (0..<prefix).map { Edit.same($0, $0) }
        let oldMiddle = prefix..<(a.count - suffix)
        let newMiddle = prefix..<(b.count - suffix)
        edits += middle(a, oldMiddle, b, newMiddle)
        edits += (0..<suffix).map { Edit.same(a.count - suffix + $0, b.count - suffix + $0) }
        return edits
    }

    /// The middle aligned by a longest common subsequence, or removed-then-added when it is too large.
    static func middle(_ a: [SourceLine], _ ra: Range<Int>, _ b: [SourceLine], _ rb: Range<Int>) -> [Edit] {
        let n = ra.count
        let m = rb.count
        guard (n + 1) * (m + 1) <= maximumCells else {
            return ra.map { Edit.removed($0) } + rb.map { Edit.added($0) }
        }
        // lcs[i][j]: LCS length of a[ra.lowerBound + i ...] and b[rb.lowerBound + j ...].
        var lcs = [Int](repeating: 0, count: (n + 1) * (m + 1))
        let width = m + 1
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i * width + j] =
                    a[ra.lowerBound + i] == b[rb.lowerBound + j]
                    ? lcs[(i + 1) * width + j + 1] + 1
                    : max(lcs[(i + 1) * width + j], lcs[i * width + j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n && j < m && a[ra.lowerBound + i] == b[rb.lowerBound + j] {
                edits.append(.same(ra.lowerBound + i, rb.lowerBound + j))
                i += 1
                j += 1
            } else if i < n && (j == m || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
                edits.append(.removed(ra.lowerBound + i))
                i += 1
            } else {
                edits.append(.added(rb.lowerBound + j))
                j += 1
            }
        }
        return edits
    }
}
