import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lab's results directory, read-only: finds the results folders under it and resolves request paths to
/// files inside it, refusing anything outside (`..`, absolute paths, symbolic links that lead out).
public struct ResultsLibrary: Sendable {
    /// The directory, with symbolic links resolved.
    public let root: String

    /// How deep under the root a results folder is looked for (`results/<scenario>/<run>` is depth 2).
    static let maxDepth = 4

    /// Throws when `directory` does not exist or is not a directory.
    public init(directory: String) throws {
        guard let resolved = Self.realPath(directory) else {
            throw DashboardError(.internalServerError, "\(directory): the results directory does not exist")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DashboardError(.internalServerError, "\(directory): not a directory")
        }
        root = resolved
    }

    /// The canonical absolute path (symbolic links, `.` and `..` resolved), nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Every results folder (a folder holding report.md or summary.json), newest run first (by path, which
    /// ends in the run's UTC time), not looking inside one.
    func folders() -> [ResultFolder] {
        var found: [(url: URL, relative: String)] = []
        func visit(_ path: String, relative: String, depth: Int) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            if !relative.isEmpty && (names.contains("report.md") || names.contains("summary.json")) {
                found.append((URL(fileURLWithPath: path), relative))
                return
            }
            guard depth < Self.maxDepth else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = path + "/" + name
                // Symbolic links are followed only when they stay inside the root.
                guard let resolved = Self.realPath(child), isInside(resolved) else { continue }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue
                else { continue }
                visit(child, relative: relative.isEmpty ? name : relative + "/" + name, depth: depth + 1)
            }
        }
        visit(root, relative: "", depth: 0)
        return found.map { ResultFolder(url: $0.url, relativePath: $0.relative) }
            .sorted { ($0.scenario ?? "", $1.startedAt ?? "") < ($1.scenario ?? "", $0.startedAt ?? "") }
    }

    func isInside(_ resolved: String) -> Bool { resolved == root || resolved.hasPrefix(root + "/") }

    /// The file or folder a request names by `/`-separated, percent-encoded segments under the root.
    ///
    /// Throws 400 for a segment that is empty, `.`, `..`, or holds a `/`, `\` or NUL once decoded; 404 when
    /// nothing is there; 403 when the resolved path (symbolic links followed) lies outside the root.
    func resolve(_ segments: [String]) throws -> (path: String, relative: String) {
        var decoded: [String] = []
        for raw in segments {
            guard let segment = raw.removingPercentEncoding else {
                throw DashboardError(.badRequest, "malformed path segment '\(raw)'")
            }
            guard !segment.isEmpty, segment != ".", segment != "..",
                !segment.contains(where: { $0 == "/" || $0 == "\\" || $0 == "\0" })
            else {
                throw DashboardError(
                    .badRequest, "path segment '\(raw)' is not allowed (results paths stay inside \(root))")
            }
            decoded.append(segment)
        }
        let relative = decoded.joined(separator: "/")
        guard let resolved = Self.realPath(relative.isEmpty ? root : root + "/" + relative) else {
            throw DashboardError(.notFound, "no such results file: \(relative)")
        }
        guard isInside(resolved) else {
            throw DashboardError(.forbidden, "\(relative) leads outside the results directory")
        }
        return (resolved, relative)
    }
}
