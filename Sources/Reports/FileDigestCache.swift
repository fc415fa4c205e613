import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Remembers the SHA-256 of files by their identity on disk, so `provenance.binary_sha256` costs one hash per
/// build of the binary instead of one per command (0.25 s of `sha256sum` for a 37 MB release binary; seconds for a
/// debug build's own ``SHA256``).
///
/// A file's identity is its device, inode, size, modification time and status-change time, to the nanosecond. Any
/// write to the file changes its modification and status-change times, and `touch` can set the former back but not
/// the latter (only the kernel sets ctime). A rebuilt binary is a new file or a written one, so it misses the cache.
/// The cache describes files, not trust: whoever can write the cache file can also replace the binary.
///
/// The cache is one text file, `<folder>/file-sha256.tsv`: one line per file, tab-separated
/// `device inode size mtime ctime sha256 path`, times as `seconds.nanoseconds`, the newest ``capacity`` files
/// kept. Lines that do not parse are dropped. It is rewritten whole through a temporary file and a rename, so
/// concurrent commands can lose each other's entry (and hash again) but never read a torn line. When the folder
/// cannot be created or written, digests are computed every time, as without a cache.
public struct FileDigestCache: Sendable {
    /// The folder holding the cache file.
    public let folder: URL
    /// How many files the cache remembers (the newest entries are kept).
    public static let capacity = 16

    public init(folder: URL) {
        self.folder = folder
    }

    /// `$XDG_CACHE_HOME/onboarding-lab` when that variable is an absolute path, else `$HOME/.cache/onboarding-lab`
    /// (the XDG base-directory default); nil when neither is known.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return Self(folder: URL(fileURLWithPath: xdg).appendingPathComponent("onboarding-lab"))
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return Self(folder: URL(fileURLWithPath: home).appendingPathComponent(".cache/onboarding-lab"))
    }

    var file: URL { folder.appendingPathComponent("file-sha256.tsv") }

    /// What identifies a file's content on disk (see the type's note).
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: String
        var changed: String
    }

    struct Entry {
        var identity: Identity
        var digest: String
        var path: String

        static func isTime(_ text: Substring) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1].count == 9 && Int64(parts[0]) != nil && parts[1].allSatisfy(\.isNumber)
        }

        var line: String {
            [
                String(identity.device), String(identity.inode), String(identity.size), identity.modified,
                identity.changed, digest, path,
            ].joined(separator: "\t")
        }
    }

    /// The SHA-256 of the file at `path` as 64 lowercase hex digits: from the cache when an entry has the file's
    /// identity, else from `compute` (then remembered, replacing any entry of the same `name`). `name` is the
    /// file's name in the cache (default `path`; for `/proc/<pid>/exe`, pass the binary's own path). Nil when
    /// `compute` gives nil. A name with a tab or a line break, or a file whose identity cannot be read, is hashed
    /// and not remembered.
    public func digest(ofFile path: String, name: String? = nil, compute: (String) -> String?) -> String? {
        let name = name ?? path
        guard let identity = Identity(path: path), !name.isEmpty,
            !name.contains(where: { $0 == "\t" || $0.isNewline })
        else { return compute(path) }
        var entries = load()
        if let hit = entries.last(where: { $0.identity == identity }) { return hit.digest }
        guard let computed = compute(path), computed.count == 64, computed.allSatisfy(\.isHexDigit) else {
            return nil
        }
        let digest = computed.lowercased()
        // The file may have changed while it was hashed: remember the digest only if its identity still holds.
        guard Identity(path: path) == identity else { return digest }
        entries.removeAll { $0.identity == identity || $0.path == name }
        entries.append(Entry(identity: identity, digest: digest, path: name))
        store(entries.suffix(Self.capacity))
        return digest
    }

    func load() -> [Entry] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap(Entry.init(line:))
    }

    func store<Entries: Sequence<Entry>>(_ entries: Entries) {
        let text = entries.map { $0.line + "\n" }.joined()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".file-sha256.\(getpid()).\(UUID().uuidString).tmp")
            try Data(text.utf8).write(to: temporary)
            if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            // A cache that cannot be written costs a hash per command, nothing else.
        }
    }
}

// The failable initialisers live in extensions so the types keep their memberwise initialisers.
extension FileDigestCache.Identity {
    /// The identity of the file `path` resolves to (symbolic links followed, as `/proc/<pid>/exe` is); nil when it
    /// cannot be examined or is not a regular file.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Self.time(info.st_mtim), changed: Self.time(info.st_ctim))
    }

    static func time(_ t: timespec) -> String {
        let nanoseconds = String(t.tv_nsec)
        return "\(t.tv_sec)." + String(repeating: "0", count: max(0, 9 - nanoseconds.count)) + nanoseconds
    }
}

extension FileDigestCache.Entry {
    /// One line of the file; nil unless it has every field in its form.
    init?(line: Substring) {
        let fields = line.split(separator: "\t", maxSplits: 6, omittingEmptySubsequences: false)
        guard fields.count == 7, let device = UInt64(fields[0]), let inode = UInt64(fields[1]),
            let size = Int64(fields[2]), Self.isTime(fields[3]), Self.isTime(fields[4]),
            fields[5].count == 64, fields[5].allSatisfy({ $0.isHexDigit && !$0.isUppercase }), !fields[6].isEmpty
        else { return nil }
        identity = FileDigestCache.Identity(
            device: device, inode: inode, size: size, modified: String(fields[3]), changed: String(fields[4]))
        digest = String(fields[5])
        path = String(fields[6])
    }
}
