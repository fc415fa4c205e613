/// Renders rows of typed cells as an aligned text table (for people) or RFC 4180 CSV (for tools).
///
/// Text: a header row, a rule, then the rows; text columns are left-aligned, numeric columns right-aligned,
/// reals printed with the column's fixed number of decimals and times as ISO 8601 UTC. CSV: the same header and
/// rows, reals in shortest round-trip form (no rounding, `.` decimal, no thousands separator), times as integer
/// minutes, fields quoted only when they contain a comma, a quote, CR or LF, lines ended by CRLF (RFC 4180 §2).
/// The cells keep their types, so callers can also write them as JSON (``Cell``).
struct TableFormatter: Sendable {
    /// One column: its name (the header, also the JSON key); for reals, the decimals shown in text output (nil:
    /// the shortest form that reads back as the same number); and the widest a text cell may be in text output
    /// (longer ones end in "…"; CSV and JSON keep them whole).
    struct Column: Sendable, Equatable {
        var name: String
        var decimals: Int?
        var maxWidth: Int?

        init(_ name: String, decimals: Int? = 3, maxWidth: Int? = nil) {
            self.name = name
            self.decimals = decimals
            self.maxWidth = maxWidth
        }
    }

    /// One value. `missing` prints as an empty field (JSON null).
    enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case real(Double)
        case bool(Bool)
        /// A minute of the engine clock: ISO 8601 in text output, the integer in CSV and JSON.
        case time(Int)
        case missing

        var isNumeric: Bool {
            switch self {
            case .integer, .real: return true
            case .text, .bool, .time, .missing: return false
            }
        }
    }

    var columns: [Column]
    private(set) var rows: [[Cell]] = []

    init(columns: [Column]) {
        self.columns = columns
    }

    init(_ names: String...) {
        self.columns = names.map { Column($0) }
    }

    /// Appends a row; it must have one cell per column.
    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The aligned text table, every line ended by "\n"; trailing spaces are trimmed.
    func text() -> String {
        let cells = rows.map { row in
            row.enumerated().map { i, cell in
                let text = Self.text(cell, decimals: columns[i].decimals)
                guard let limit = columns[i].maxWidth, text.count > limit else { return text }
                return String(text.prefix(max(limit - 1, 0))) + "…"
            }
        }
        let rightAligned = columns.indices.map { i in
            rows.contains { $0[i].isNumeric } && rows.allSatisfy { $0[i].isNumeric || $0[i] == .missing }
        }
        let widths = columns.indices.map { i in
            cells.reduce(columns[i].name.count) { max($0, $1[i].count) }
        }
        func line(_ fields: [String]) -> String {
            let padded = fields.enumerated().map { i, field in
                let pad = String(repeating: " ", count: widths[i] - field.count)
                return rightAligned[i] ? pad + field : field + pad
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        var out = line(columns.map(\.name))
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in cells { out += line(row) }
        return out
    }

    /// RFC 4180 CSV with a header row.
    func csv() -> String {
        var out = columns.map { Self.csvField($0.name) }.joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.map { Self.csvField(Self.raw($0)) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// A cell for people: reals with `decimals` places, times in ISO 8601 UTC, line breaks shown as `\n`.
    static func text(_ cell: Cell, decimals: Int?) -> String {
        switch cell {
        case .text(let s) where s.contains(where: \.isNewline):
            return s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
        case .real(let value): return decimals.map { fixed(value, decimals: $0) } ?? raw(cell)
        case .time(let minute): return TimeArgument.iso(minute)
        default: return raw(cell)
        }
    }

    /// A cell for tools: full-precision reals, integer minutes.
    static func raw(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? "\(d)" : ""
        case .bool(let b): return b ? "true" : "false"
        case .time(let m): return String(m)
        case .missing: return ""
        }
    }

    /// `value` rounded half away from zero to `decimals` places, without exponent notation.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        guard decimals > 0 else { return String(Int(value.rounded())) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = Int(scaled)
        let whole = units / Int(scale)
        var fraction = String(units % Int(scale))
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        return (value < 0 && units != 0 ? "-" : "") + "\(whole).\(fraction)"
    }

    /// A CSV field, quoted when it holds a comma, a double quote, CR or LF (quotes doubled).
    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return field
        }
        var quoted = "\""
        for character in field {
            quoted += character == "\"" ? "\"\"" : String(character)
        }
        return quoted + "\""
    }
}
