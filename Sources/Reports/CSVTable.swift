import Foundation

/// An RFC 4180 table: a header row and records, rendered with CRLF line breaks, fields quoted only when they
/// contain a comma, a quote, CR or LF; `.` decimals and no thousands separators.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public var text: String {
        var out = ""
        out.reserveCapacity((rows.count + 1) * header.count * 8)
        Self.appendRecord(header, to: &out)
        for row in rows { Self.appendRecord(row, to: &out) }
        return out
    }

    public static func appendRecord(_ fields: [String], to out: inout String) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) {
                out += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                out += field
            }
        }
        out += "\r\n"
    }

    /// Parses RFC 4180 text (CRLF or LF line breaks). Throws on an unterminated quote or a ragged row.
    public init(parsing text: String) throws {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var chars = text.makeIterator()
        var pending: Character? = nil
        var line = 1
        func next() -> Character? {
            if let p = pending {
                pending = nil
                return p
            }
            return chars.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",":
                record.append(field)
                field = ""
            case "\r\n", "\n", "\r":
                record.append(field)
                field = ""
                records.append(record)
                record = []
                line += 1
            default: field.append(c)
            }
        }
        if inQuotes { throw CSVError(line: line, reason: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { throw CSVError(line: 1, reason: "empty file: no header row") }
        for (i, r) in records.enumerated().dropFirst() where r.count != header.count {
            throw CSVError(line: i + 1, reason: "expected \(header.count) fields, found \(r.count)")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
    }

    /// The index of a header column, or a CSVError naming the missing column.
    public func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else { throw CSVError(line: 1, reason: "missing column '\(name)'") }
        return i
    }
}

public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var file: String?

    public init(line: Int, reason: String, file: String? = nil) {
        self.line = line
        self.reason = reason
        self.file = file
    }

    public var description: String { "\(file ?? "<csv>"):\(line): \(reason)" }
}

/// Number formatting shared by every output: shortest round-trip decimals, empty for nil.
public enum Format {
    public static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    public static func number(_ value: Double?) -> String { value.map { number($0) } ?? "" }
    public static func flag(_ value: Bool) -> String { value ? "1" : "0" }
    public static func flag(_ value: Bool?) -> String { value.map(flag) ?? "" }

    /// Fixed decimals for human tables (report.md, terminal); "–" for nil or non-finite.
    public static func fixed(_ value: Double?, _ digits: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(digits)f", value)
    }

    /// A share as a percentage for people: 0.95 → "95%", 0.975 → "97.5%".
    public static func percent(_ share: Double) -> String {
        let value = share * 100
        return (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + "%"
    }
}
