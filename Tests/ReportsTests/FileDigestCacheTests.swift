import Foundation
import Testing

@testable import Reports

/// The cache behind `provenance.binary_sha256`: a file is hashed once per identity (device, inode, size, mtime,
/// ctime); a write or a replacement hashes again; a damaged or unwritable cache costs a hash, never a wrong digest.
@Suite("File digest cache")
struct FileDigestCacheTests {
    /// A private folder with a file to hash and a cache folder; removed by `remove()`.
    struct Scratch {
        let root: URL
        let file: String
        let cache: FileDigestCache

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("digest-cache-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            file = root.appendingPathComponent("binary").path
            try Data("first build\n".utf8).write(to: URL(fileURLWithPath: file))
            cache = FileDigestCache(folder: root.appendingPathComponent("cache"))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    /// Counts the hashes it computes.
    final class Hasher: @unchecked Sendable {
        var calls = 0
        func hash(_ path: String) -> String? {
            calls += 1
            return SHA256.hex(contentsOfFile: path)
        }
    }

    @Test func secondLookUpOfTheSameFileHashesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hasher = Hasher()
        let expected = try #require(SHA256.hex(contentsOfFile: scratch.file))
        #expect(scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash) == expected)
        #expect(scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash) == expected)
        #expect(hasher.calls == 1)
        let lines = try String(contentsOf: scratch.cache.file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix("\t\(expected)\t\(scratch.file)") == true, "\(lines)")
    }

    /// A write of the same length with the modification time put back still changes the status-change time.
    @Test func aWrittenOrReplacedFileIsHashedAgain() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hasher = Hasher()
        let url = URL(fileURLWithPath: scratch.file)
        let first = scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash)
        var before = stat()
        try #require(stat(scratch.file, &before) == 0)
        usleep(20_000)
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data("FIRST".utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        try #require(utimensat(AT_FDCWD, scratch.file, &times, 0) == 0)
        var after = stat()
        try #require(stat(scratch.file, &after) == 0)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(after.st_size == before.st_size)
        let second = scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash)
        #expect(hasher.calls == 2)
        #expect(second == SHA256.hex(contentsOfFile: scratch.file) && second != first)

        // A new file moved over the old one (what a rebuild does) is a new inode.
        let rebuilt = scratch.root.appendingPathComponent("rebuilt")
        try Data("second build\n".utf8).write(to: rebuilt)
        try #require(rename(rebuilt.path, scratch.file) == 0)
        #expect(
            scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash)
                == SHA256.hex(Array("second build\n".utf8)))
        #expect(hasher.calls == 3)
        // The path's entry was replaced, not added to.
        #expect(scratch.cache.load().count == 1)
    }

    /// Lines that do not parse are dropped; an entry whose digest was edited is only as good as the file
    /// identity it names, so editing the identity makes it miss.
    @Test func damagedLinesAreIgnored() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hasher = Hasher()
        let expected = try #require(SHA256.hex(contentsOfFile: scratch.file))
        _ = scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash)
        let line = try String(contentsOf: scratch.cache.file, encoding: .utf8)
        var fields = line.trimmingCharacters(in: .newlines).split(separator: "\t").map(String.init)
        fields[2] = String(Int(fields[2])! + 1)  // another size: another file
        let damaged = [
            "garbage", "1\t2\t3", line.replacingOccurrences(of: expected, with: "XYZ"),
            fields.joined(separator: "\t"),
        ].joined(separator: "\n")
        try Data(damaged.utf8).write(to: scratch.cache.file)
        #expect(scratch.cache.load().count == 1)  // only the edited-size line parses
        #expect(scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash) == expected)
        #expect(hasher.calls == 2)
        #expect(scratch.cache.load().count == 1, "the stale entry of the same path was replaced")
    }

    @Test func keepsTheNewestEntries() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hasher = Hasher()
        for k in 0..<(FileDigestCache.capacity + 3) {
            let path = scratch.root.appendingPathComponent("file-\(k)").path
            try Data("content \(k)\n".utf8).write(to: URL(fileURLWithPath: path))
            _ = scratch.cache.digest(ofFile: path, compute: hasher.hash)
        }
        let kept = scratch.cache.load().map { URL(fileURLWithPath: $0.path).lastPathComponent }
        #expect(kept == (3..<(FileDigestCache.capacity + 3)).map { "file-\($0)" })
    }

    /// A cache folder that cannot be created (a file is in the way) hashes every time and still gives the digest.
    @Test func unwritableCacheStillGivesTheDigest() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try Data("in the way\n".utf8).write(to: scratch.cache.folder)
        let hasher = Hasher()
        let expected = SHA256.hex(contentsOfFile: scratch.file)
        #expect(scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash) == expected)
        #expect(scratch.cache.digest(ofFile: scratch.file, compute: hasher.hash) == expected)
        #expect(hasher.calls == 2)
    }

    /// What a file that cannot be examined, or a name the format cannot hold, does: hash, remember nothing.
    @Test func unnamedOrMissingFilesAreNotRemembered() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let hasher = Hasher()
        #expect(
            scratch.cache.digest(ofFile: scratch.root.appendingPathComponent("missing").path, compute: hasher.hash)
                == nil)
        #expect(scratch.cache.digest(ofFile: scratch.file, name: "a\tb", compute: hasher.hash) != nil)
        #expect(hasher.calls == 2)
        #expect(scratch.cache.load().isEmpty)
    }

    @Test func standardFolderFollowsXDG() {
        #expect(
            FileDigestCache.standard(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"])?.folder.path
                == "/x/cache/onboarding-lab")
        #expect(
            FileDigestCache.standard(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"])?.folder.path
                == "/home/u/.cache/onboarding-lab")
        #expect(FileDigestCache.standard(environment: [:]) == nil)
    }
}
