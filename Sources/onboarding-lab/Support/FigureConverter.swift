import Foundation

/// Converts an SVG chart to PNG or PDF with `rsvg-convert` (``FigureOptions``).
enum FigureConverter {
    static let toolName = "rsvg-convert"

    /// rsvg-convert's path on PATH, or nil.
    static var tool: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent(toolName)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writes `output` from the SVG file `input`. A missing tool or a failed conversion is a
    /// ``FigureConversionError`` (exit 7).
    static func convert(_ input: String, to output: String, format: FigureOptions.Format) throws {
        guard let tool else {
            throw FigureConversionError("\(output): rsvg-convert is not on PATH (install Debian's librsvg2-bin)")
        }
        var arguments = ["--format", format.rawValue, "--output", output]
        if format == .png { arguments += ["--zoom", "2"] }
        arguments.append(input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"  // the PDF's creation date: fixed, so equal charts give equal files
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FigureConversionError("\(output): cannot start \(tool): \(error.localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "no message"
            throw FigureConversionError(
                "\(output): rsvg-convert failed (exit \(process.terminationStatus)): \(reason)")
        }
    }
}

/// A chart could not be converted to PNG or PDF: exit 7.
struct FigureConversionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
