import ArgumentParser
import Foundation
import Reports

/// `--figures` and `--figure-style` of the commands that draw report.md's charts (`run`, `sweep`, `tune`, `check
/// --out`, `merge`, and `compare`, which redraws them when asked for other formats or style).
///
/// The SVG charts are always written (report.md links them). `png` and `pdf` add a converted copy of each beside
/// it (`charts/<name>.png`, `.pdf`), made by `rsvg-convert` (Debian `librsvg2-bin`, which `scripts/setup.sh`
/// installs): PNG at twice the SVG's pixel size, PDF with vector text, both byte-identical for equal charts
/// (`SOURCE_DATE_EPOCH=0` fixes the PDF's creation date). Asking for them without `rsvg-convert` on PATH is exit 7
/// before anything runs.
struct FigureOptions: ParsableArguments {
    enum Format: String, CaseIterable, Sendable {
        case svg, png, pdf
    }

    @Option(
        help: ArgumentHelp(
            "Chart formats, comma-separated from svg, png, pdf (default svg). SVG is always written; png and pdf are converted from it by rsvg-convert (exit 7 when it is missing).",
            valueName: "formats"))
    var figures: String = "svg"

    @Option(
        help: ArgumentHelp(
            "Chart style: standard (title and subtitle above each chart) or plain (neither, for papers).",
            valueName: "style"))
    var figureStyle: String = ReportCharts.Style.standard.rawValue

    /// The formats asked for, in svg, png, pdf order (svg always included).
    var formats: [Format] {
        let asked = Set(figures.split(separator: ",").compactMap { Format(rawValue: String($0)) })
        return Format.allCases.filter { $0 == .svg || asked.contains($0) }
    }

    var style: ReportCharts.Style { ReportCharts.Style(rawValue: figureStyle) ?? .standard }

    /// The choice handed to ``ResultWriter``.
    var choice: FigureChoice { FigureChoice(formats: formats, style: style) }

    func validate() throws {
        let known = Format.allCases.map(\.rawValue).joined(separator: ", ")
        let items = figures.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for item in items where Format(rawValue: item) == nil {
            throw ValidationError(
                "--figures: '\(item)' is not a chart format; give a comma-separated list of \(known), found '\(figures)'"
            )
        }
        if ReportCharts.Style(rawValue: figureStyle) == nil {
            let styles = ReportCharts.Style.allCases.map(\.rawValue).joined(separator: " or ")
            throw ValidationError("--figure-style must be \(styles), found '\(figureStyle)'")
        }
        if formats.count > 1, FigureConverter.tool == nil {
            StandardError.write(
                "error: --figures \(figures): PNG and PDF charts need rsvg-convert, which is not on PATH "
                    + "(install Debian's librsvg2-bin, or run scripts/setup.sh)")
            throw LabExit.figureConverterMissing
        }
    }
}

/// Which chart files to write: formats (svg first) and style.
struct FigureChoice: Sendable {
    var formats: [FigureOptions.Format] = [.svg]
    var style: ReportCharts.Style = .standard

    static let standard = FigureChoice()
}
