import Ink

/// The lab's results beside the engine: the index of results folders and each folder's report.md as HTML.
enum ResultsPage {
    static func index(_ folders: [ResultFolder], root: String, hasEngine: Bool) -> String {
        var body = "<p class=\"muted\">Results directory <code>\(HTML.escape(root))</code> (read-only) · "
        body += "\(folders.count) folder(s), newest first within each scenario</p>\n"
        if folders.isEmpty {
            body +=
                "<section><p>No results folder (one holding report.md or summary.json) under this directory.</p></section>\n"
        }
        body += "<section id=\"results-index\"><table id=\"results-table\"><thead><tr><th>scenario</th><th>started</th>"
        body +=
            "<th>folder</th><th>configurations</th><th>replicates</th><th>headline metrics (ALL personas, mean [95% CI])</th>"
        body +=
            "<th>checks (baseline: PASS when the Wilson 95% interval is above the required probability, FAIL below, UNDECIDED across)</th></tr></thead><tbody>\n"
        for folder in folders {
            body += "<tr class=\"result\" data-folder=\"\(HTML.escape(folder.relativePath))\">"
            body += "<td>\(HTML.escape(folder.scenario ?? "—"))</td><td>\(HTML.escape(folder.startedAt ?? "—"))</td>"
            let link =
                "/results/"
                + folder.relativePath.split(separator: "/").map { percentEncoded(String($0)) }
                .joined(separator: "/") + "/report.html"
            body += "<td>"
            body +=
                folder.hasReport
                ? "<a href=\"\(HTML.escape(link))\">\(HTML.escape(folder.relativePath))</a>"
                : HTML.escape(folder.relativePath)
            if let command = folder.command { body += "<br><code class=\"muted\">\(HTML.escape(command))</code>" }
            for note in folder.notes { body += "<br><span class=\"muted\">\(HTML.escape(note))</span>" }
            body += "</td><td class=\"num\">\(folder.configurations.map(String.init) ?? "—")</td>"
            body += "<td class=\"num\">\(folder.replicates.map(String.init) ?? "—")</td><td>"
            for h in folder.headlines {
                body +=
                    "<div class=\"headline\" data-config=\"\(HTML.escape(h.config))\"><b>\(HTML.escape(h.config))</b>"
                if h.baseline { body += " (baseline)" }
                if !h.settings.isEmpty { body += " <span class=\"muted\">\(HTML.escape(h.settings))</span>" }
                body += "<br>"
                body += h.metrics.map { m in
                    let ci = m.interval.map { " [\(HTML.number($0.0)), \(HTML.number($0.1))]" } ?? ""
                    return "\(HTML.escape(m.metric)) \(HTML.number(m.mean))\(ci)"
                }.joined(separator: " · ")
                body += "</div>"
            }
            body += "</td><td>"
            for c in folder.checks {
                let verdict = c.verdict ?? "no day \(c.day)"
                body += "<div class=\"check\" data-verdict=\"\(verdict)\">\(HTML.escape(c.persona)) day \(c.day): "
                let interval = c.interval.map { "[\(HTML.number($0.lower)), \(HTML.number($0.upper))]" } ?? "—"
                body += "<b>\(verdict)</b> \(c.correct)/\(c.replicates) correct, Wilson 95% \(interval) "
                body += "vs required \(HTML.number(c.required, decimals: 2))</div>"
            }
            body += "</td></tr>\n"
        }
        body += "</tbody></table></section>\n"
        let navigation = (hasEngine ? [(href: "/", label: "Engine")] : []) + [(href: "/results", label: "Lab results")]
        return HTML.page(title: "Lab results", navigation: navigation, body: body)
    }

    /// report.md as HTML: its relative chart links (`charts/*.svg`) resolve beside the page's URL.
    static func report(markdown: String, relativePath: String, hasEngine: Bool) -> String {
        let html = MarkdownParser().html(from: markdown)
        let body =
            "<p class=\"muted\">\(HTML.escape(relativePath))/report.md</p>\n<section class=\"report\">\n"
            + html + "\n</section>\n"
        let navigation = (hasEngine ? [(href: "/", label: "Engine")] : []) + [(href: "/results", label: "Lab results")]
        return HTML.page(title: "Report: \(relativePath)", navigation: navigation, body: body)
    }

    /// A path segment with everything but unreserved characters percent-encoded (RFC 3986 §2.3).
    static func percentEncoded(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
