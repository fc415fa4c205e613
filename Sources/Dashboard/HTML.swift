import Reports

/// Text made safe for HTML: the dashboard writes every value from the database or a results folder through it.
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references, for element content and quoted attribute values.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }

    /// A fixed-point number for tables, e.g. `0.757`; "—" for nil.
    static func number(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        } else if decimals > 0 {
            text += "." + String(repeating: "0", count: decimals)
        }
        if text.hasPrefix("-0.") && rounded == 0 { text.removeFirst() }
        return text
    }

    /// The page frame shared by every page: title, the stylesheet, the navigation and `body`.
    static func page(title: String, navigation: [(href: String, label: String)], body: String) -> String {
        let links = navigation.map { "<a href=\"\(escape($0.href))\">\(escape($0.label))</a>" }.joined(separator: " ")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            <header><h1>\(escape(title))</h1><nav>\(links)</nav></header>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    static let stylesheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
        header{background:#24292f;color:#fff;padding:10px 24px;display:flex;align-items:baseline;gap:24px}
        header h1{font-size:20px;margin:0} header nav a{color:#c9d1d9;margin-right:14px}
        main{padding:16px 24px;max-width:1400px}
        section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:0 0 16px}
        h2{font-size:17px;margin:4px 0 10px} h3{font-size:15px;margin:8px 0}
        table{border-collapse:collapse;font-size:13px;width:100%}
        th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f6f8fa} td.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.champion td{background:#dafbe1} tr.failed td{background:#ffebe9} tr.running td{background:#fff8c5}
        .cards{display:flex;flex-wrap:wrap;gap:12px} .card{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:260px;flex:1}
        .card.champion{border-color:#1a7f37;border-width:2px} .delta.neg{color:#cf222e} .delta.pos{color:#1a7f37}
        .flow{margin:6px 0;display:flex;flex-wrap:wrap;align-items:center;gap:4px}
        .flow .label{min-width:120px;font-size:12px;color:#57606a}
        .step{border-radius:12px;padding:2px 10px;font-size:12px;border:1px solid #d0d7de;background:#f6f8fa}
        .step.same{background:#ddf4ff;border-color:#54aeff} .step.moved{background:#fff8c5;border-color:#d4a72c}
        .step.added{background:#dafbe1;border-color:#4ac26b} .step.missing{text-decoration:line-through;color:#cf222e;border-style:dashed}
        .arrow{color:#8c959f} .muted{color:#57606a;font-size:12px} .error{color:#cf222e}
        form{margin:6px 0} label{margin-right:8px} input[type=range]{width:240px;vertical-align:middle}
        .notice{padding:8px 12px;border-radius:6px;background:#ddf4ff;border:1px solid #54aeff}
        .report img{max-width:100%} .report table{width:auto} pre{background:#f6f8fa;padding:8px;overflow:auto}
        """
}
