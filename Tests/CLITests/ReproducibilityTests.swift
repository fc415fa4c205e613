import Foundation
import LabTestSupport
import Testing

/// Issue 14, item 7: manifest.json's provenance, and the charts as PNG and PDF or in the plain style.
@Suite("Reproducibility: provenance and figures")
struct ReproducibilityTests {
    static let quick = ["--replicates", "2", "--horizon", "12", "--scale", "0.2", "--quiet", "--store", "memory"]
    static let scenario = Repo.scenario("seed-narrative.yaml")

    static func manifest(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: "^" + pattern + "$", options: .regularExpression) != nil
    }

    /// The provenance has every field in its form; the binary's SHA-256 is that of the executable file, computed
    /// by the first command and read from the cache by the next, and the git commit is the checkout's HEAD when
    /// git can tell.
    @Test func manifestRecordsProvenance() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let binary = try CLIRunner.executable(named: "onboarding-lab")
        let cacheHome = cli.path("xdg-cache")
        for name in ["p", "again"] {
            let r = try CLIRunner.run(
                binary, ["run", Self.scenario, "--out", cli.path(name)] + Self.quick, in: cli.folder,
                environment: ["XDG_CACHE_HOME": cacheHome])
            #expect(r.exitCode == 0, "\(r)")
        }
        let provenance = try #require(try Self.manifest(cli.path("p"))["provenance"] as? [String: Any])
        #expect(Set(provenance.keys) == ["git_commit", "git_dirty", "binary_sha256", "swift", "gsl", "sqlite"])
        let sha256sum = try #require(CLIRunner.systemTool(named: "sha256sum"), "sha256sum (coreutils) is missing")
        let digest = try CLIRunner.run(sha256sum, [binary.path]).stdout.split(separator: " ").first.map(String.init)
        #expect(provenance["binary_sha256"] as? String == digest)
        let again = try #require(try Self.manifest(cli.path("again"))["provenance"] as? [String: Any])
        #expect(again["binary_sha256"] as? String == digest)
        // The cache names the binary by its own path (not /proc/<pid>/exe) with that digest.
        let cache = try String(contentsOfFile: cacheHome + "/onboarding-lab/file-sha256.tsv", encoding: .utf8)
        let real = binary.resolvingSymlinksInPath().path
        #expect(cache.split(separator: "\n").map { $0.hasSuffix("\t\(digest ?? "?")\t\(real)") } == [true], "\(cache)")
        #expect(Self.matches(provenance["swift"] as? String ?? "", #">=[0-9]+\.[0-9]+(\.[0-9]+)?"#))
        #expect(Self.matches(provenance["gsl"] as? String ?? "", #"[0-9]+\.[0-9]+(\.[0-9]+)?"#))
        #expect(Self.matches(provenance["sqlite"] as? String ?? "", #"3\.[0-9]+\.[0-9]+"#))
        let commit = try #require(provenance["git_commit"] as? String)
        if let git = CLIRunner.systemTool(named: "git"),
            case let head = try CLIRunner.run(git, ["-C", Repo.root.path, "rev-parse", "HEAD"]), head.exitCode == 0
        {
            #expect(commit == head.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(provenance["git_dirty"] is Bool)
        } else {
            #expect(commit == "unknown")
        }
    }

    /// Without git on PATH the commit and dirtiness are "unknown" and the run still succeeds (the binary hashed by
    /// the lab's own SHA-256 instead of sha256sum); PNG charts asked
    /// for without rsvg-convert are exit 7 before anything is written.
    @Test func withoutToolsValuesAreUnknownAndFiguresRefused() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let binary = try CLIRunner.executable(named: "onboarding-lab")
        let empty = cli.path("empty-bin")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        // An empty cache too, or the digest would come from the cache rather than the lab's own SHA-256.
        let noTools = ["PATH": empty, "XDG_CACHE_HOME": cli.path("empty-cache")]
        let r = try CLIRunner.run(
            binary, ["run", Self.scenario, "--out", cli.path("nogit")] + Self.quick, in: cli.folder,
            environment: noTools)
        #expect(r.exitCode == 0, "\(r)")
        let provenance = try #require(try Self.manifest(cli.path("nogit"))["provenance"] as? [String: Any])
        // Without sha256sum on PATH the lab's own SHA-256 hashes the binary: the same digest.
        let sha256sum = try #require(CLIRunner.systemTool(named: "sha256sum"), "sha256sum (coreutils) is missing")
        let digest = try CLIRunner.run(sha256sum, [binary.path]).stdout.split(separator: " ").first.map(String.init)
        #expect(provenance["binary_sha256"] as? String == digest)
        #expect(provenance["git_commit"] as? String == "unknown")
        #expect(provenance["git_dirty"] as? String == "unknown")
        let refused = try CLIRunner.run(
            binary, ["run", Self.scenario, "--out", cli.path("png"), "--figures", "svg,png"] + Self.quick,
            in: cli.folder, environment: noTools)
        #expect(refused.exitCode == 7, "\(refused)")
        #expect(refused.stderr.contains("rsvg-convert"))
        #expect(!FileManager.default.fileExists(atPath: cli.path("png")))
        #expect(!FileManager.default.fileExists(atPath: cli.path("png.partial")))
    }

    /// An unknown format or style is a usage error naming the values.
    @Test func figureValuesAreChecked() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        let format = try cli.run(["run", Self.scenario, "--figures", "svg,jpg"] + Self.quick)
        #expect(format.exitCode == 64)
        #expect(format.stderr.contains("'jpg' is not a chart format"), "\(format)")
        let style = try cli.run(["run", Self.scenario, "--figure-style", "fancy"] + Self.quick)
        #expect(style.exitCode == 64)
        #expect(style.stderr.contains("--figure-style must be standard or plain"), "\(style)")
        let empty = try cli.run(["sweep", Self.scenario, "--figures", ""] + Self.quick)
        #expect(empty.exitCode == 64, "\(empty)")
    }

    /// --figures svg,png,pdf adds a PNG and a PDF per chart, listed in the manifest with their checksums, and
    /// changes no other file; --figure-style plain drops titles from the charts only. Both are deterministic.
    @Test(.enabled(if: CLIRunner.systemTool(named: "rsvg-convert") != nil, "needs rsvg-convert (scripts/setup.sh)"))
    func pngPdfAndPlainCharts() throws {
        let cli = try LabCLI()
        defer { cli.remove() }
        for (name, extra) in [
            ("default", [String]()), ("all", ["--figures", "svg,png,pdf"]), ("again", ["--figures", "pdf,png"]),
            ("plain", ["--figure-style", "plain"]),
        ] {
            let r = try cli.run(["run", Self.scenario, "--out", cli.path(name)] + Self.quick + extra)
            #expect(r.exitCode == 0, "\(r)")
        }
        var standard = try ExperimentCommandTests.files(cli.path("default"))
        var all = try ExperimentCommandTests.files(cli.path("all"))
        let again = try ExperimentCommandTests.files(cli.path("again"))
        var plain = try ExperimentCommandTests.files(cli.path("plain"))
        let files = try #require(try Self.manifest(cli.path("all"))["files"] as? [String: String])
        let svgs = standard.keys.filter { $0.hasPrefix("charts/") && $0.hasSuffix(".svg") }
        #expect(svgs.count >= 4)
        for svg in svgs {
            let stem = String(svg.dropLast(4))
            let png = try #require(all[stem + ".png"], "\(stem).png missing")
            let pdf = try #require(all[stem + ".pdf"], "\(stem).pdf missing")
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
            #expect(files[stem + ".png"] != nil && files[stem + ".pdf"] != nil)
            #expect(again[stem + ".png"] == png && again[stem + ".pdf"] == pdf, "\(stem): not deterministic")
            all.removeValue(forKey: stem + ".png")
            all.removeValue(forKey: stem + ".pdf")
        }
        let sha256sum = try #require(CLIRunner.systemTool(named: "sha256sum"))
        let pdfPath = cli.path("all/charts/activation-rate.pdf")
        let pdfDigest = try CLIRunner.run(sha256sum, [pdfPath]).stdout.split(separator: " ").first.map(String.init)
        #expect(files["charts/activation-rate.pdf"] == pdfDigest)
        standard.removeValue(forKey: "manifest.json")
        all.removeValue(forKey: "manifest.json")
        plain.removeValue(forKey: "manifest.json")
        #expect(Set(all.keys) == Set(standard.keys))
        for (name, data) in standard { #expect(all[name] == data, "\(name) changed with --figures") }
        #expect(Set(plain.keys) == Set(standard.keys))
        for (name, data) in standard {
            if name.hasPrefix("charts/") {
                let text = String(decoding: try #require(plain[name]), as: UTF8.self)
                let titled = String(decoding: data, as: UTF8.self)
                #expect(titled.contains("<title>") && titled.contains("chart-title"))
                #expect(!text.contains("<title") && !text.contains("<desc") && !text.contains("chart-title"))
                #expect(!text.contains("chart-subtitle"), "\(name) keeps its subtitle")
            } else {
                #expect(plain[name] == data, "\(name) changed with --figure-style plain")
            }
        }

        // compare draws a folder's charts again in other formats and style: the files of the runs that asked for
        // them at once.
        let compare = try cli.run(
            "compare", cli.path("default"), "--figures", "svg,png,pdf", "--figure-style", "plain")
        #expect(compare.exitCode == 0, "\(compare)")
        let redrawn = try ExperimentCommandTests.files(cli.path("default"))
        for (name, data) in plain where name.hasPrefix("charts/") {
            #expect(redrawn[name] == data, "\(name) differs from a plain run's")
        }
        for svg in svgs {
            let stem = String(svg.dropLast(4))
            #expect(redrawn[stem + ".png"] != nil && redrawn[stem + ".pdf"] != nil, "\(stem): not converted")
        }
    }
}
