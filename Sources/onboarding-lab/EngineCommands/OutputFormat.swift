import ArgumentParser

/// How a command prints its result: an aligned table for people, RFC 4180 CSV or JSON (sorted keys) for tools.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table, csv, json
}

extension OutputFormat {
    /// One table in this format: aligned text, CSV, or a JSON array of row objects (keys sorted).
    func render(_ table: TableFormatter) -> String {
        switch self {
        case .table: return table.text()
        case .csv: return table.csv()
        case .json: return JSONOutput.text(table.jsonRows)
        }
    }
}
