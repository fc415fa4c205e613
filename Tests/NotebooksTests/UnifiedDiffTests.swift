import Notebooks
import Testing

/// The unified diff `notebook check` prints (format of `diff -u`, three lines of context).
@Suite("unified diff")
struct UnifiedDiffTests {
    @Test func oneCharacterChangeInALongFile() {
        let old = (1...20).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 10\n", with: "line 1O\n")
        let diff = UnifiedDiff.diff(old, new, oldLabel: "a/f", newLabel: "b/f")
        #expect(
            diff == """
                --- a/f
                +++ b/f
                @@ -7,7 +7,7 @@
                 line 7
                 line 8
                 line 9
                -line 10
                +line 1O
                 line 11
                 line 12
                 line 13

                """)
    }

    @Test func insertionsDeletionsAndTwoHunks() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n"
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"
        let diff = UnifiedDiff.diff(old, new, oldLabel: "x", newLabel: "y")
        #expect(
            diff == """
                --- x
                +++ y
                @@ -1,5 +1,5 @@
                 a
                -b
                +B
                 c
                 d
                 e
                @@ -10,3 +10,4 @@
                 j
                 k
                 l
                +m

                """)
        #expect(UnifiedDiff.diff(old, old, oldLabel: "x", newLabel: "y").isEmpty)
        #expect(UnifiedDiff.diff("", "new\n", oldLabel: "x", newLabel: "y") == "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+new\n")
    }

    @Test func longDiffsAreCut() {
        let old = (1...500).map { "o\($0)\n" }.joined()
        let new = (1...500).map { "n\($0)\n" }.joined()
        let diff = UnifiedDiff.diff(old, new, oldLabel: "x", newLabel: "y", maximumLines: 10)
        #expect(diff.hasSuffix("… (991 more diff lines)\n"), "\(diff)")
    }
}
