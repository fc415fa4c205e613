import Foundation

/// Colours and line styles of the charts: the Okabe–Ito palette, safe for the common colour-vision deficiencies
/// (Okabe & Ito, "Color Universal Design", 2008), with dash patterns once the eight colours are used up.
enum ChartPalette {
    /// Okabe–Ito, ordered so the low-contrast yellow comes last.
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
    /// Fills of areas that cannot be dashed (the champion timeline's flows): Okabe–Ito, then six of Paul Tol's
    /// "muted" scheme, so 14 flows get 14 distinct colours.
    static let fills = colours + ["#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#888888"]
    /// Solid, dashed, dotted, dash-dot: series 9–16 are dashed, 17–24 dotted, and so on.
    static let dashes: [String?] = [nil, "8 4", "2 3", "8 3 2 3"]

    static let ink = "#222222"
    static let mutedInk = "#555555"
    static let grid = "#E3E3E3"
    static let noChampion = "#BDBDBD"
    static let background = "#FFFFFF"

    /// The colour and dash pattern of series `index`.
    static func style(_ index: Int) -> (colour: String, dash: String?) {
        let i = Swift.max(index, 0)
        return (colours[i % colours.count], dashes[(i / colours.count) % dashes.count])
    }

    /// The fill of area `index` (distinct for the first `fills.count`).
    static func fill(_ index: Int) -> String { fills[Swift.max(index, 0) % fills.count] }

    /// Black or white, whichever reads better on `fill` (a `#RRGGBB` colour), by WCAG relative luminance.
    static func textColour(on fill: String) -> String {
        let hex = Array(fill.utf8.dropFirst())
        guard hex.count == 6 else { return ink }
        func channel(_ i: Int) -> Double {
            let digits = String(decoding: hex[(2 * i)..<(2 * i + 2)], as: UTF8.self)
            let c = Double(Int(digits, radix: 16) ?? 0) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        let luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
        // Contrast against black (L + 0.05) / 0.05 exceeds contrast against white 1.05 / (L + 0.05) above L ≈ 0.179.
        return luminance > 0.179 ? "#000000" : "#FFFFFF"
    }
}
