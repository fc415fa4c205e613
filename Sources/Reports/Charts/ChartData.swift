import Experiments

/// daily.csv rows grouped for the charts: configurations in ``ConfigTable`` order (then any other name in order of
/// first appearance), personas in order of first appearance, replicates and days increasing.
struct ChartData {
    let configs: ConfigTable
    let configNames: [String]
    let personas: [String]
    let replicates: [Int]
    private let rowsByConfig: [String: [DailyRow]]
    /// Charts without title and subtitle (``ReportCharts/Style/plain``).
    var plain = false

    init(daily: [DailyRow], configs: ConfigTable) {
        self.configs = configs
        var grouped: [String: [DailyRow]] = [:]
        var seenConfigs: [String] = []
        var seenPersonas: [String] = []
        var personaSet: Set<String> = []
        for row in daily {
            if grouped[row.config] == nil { seenConfigs.append(row.config) }
            grouped[row.config, default: []].append(row)
            if personaSet.insert(row.persona).inserted { seenPersonas.append(row.persona) }
        }
        let listed = configs.configs.map(\.name).filter { grouped[$0] != nil }
        configNames = listed + seenConfigs.filter { !listed.contains($0) }
        personas = seenPersonas
        replicates = Set(daily.map(\.replicate)).sorted()
        rowsByConfig = grouped
    }

    /// The rows of one configuration, in input order.
    func rows(config: String) -> [DailyRow] { rowsByConfig[config] ?? [] }

    /// The legend label of a configuration: its swept settings, marked when it is the baseline of several.
    func label(_ config: String) -> String {
        configs.label(config) + (config == configs.baseline && configNames.count > 1 ? " (baseline)" : "")
    }

    /// The configuration of the timeline: the baseline when it has rows, else the first one charted.
    var timelineConfig: String? {
        configNames.contains(configs.baseline) ? configs.baseline : configNames.first
    }

    /// "4 replicates", "1 replicate".
    var replicateCount: String { replicates.count == 1 ? "1 replicate" : "\(replicates.count) replicates" }

    /// Keeps `champion-correct-<slug>.svg` far below the usual 255-byte file-name limit.
    static let maxSlugLength = 60

    /// A file-name-safe form of a persona id: lower-case ASCII letters, digits, `_` and `-`, at most 60 of them.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            let v = scalar.value
            let keep = (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) || scalar == "_" || scalar == "-"
            if keep {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        if out.count > maxSlugLength { out = String(out.prefix(maxSlugLength)) }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "persona" : out
    }

    /// One slug per persona, suffixed `-2`, `-3`, … where two would collide.
    var personaSlugs: [String] {
        var used: Set<String> = []
        return personas.map { persona in
            let base = Self.slug(persona)
            var candidate = base
            var n = 2
            while used.contains(candidate) {
                candidate = base + "-" + String(n)
                n += 1
            }
            used.insert(candidate)
            return candidate
        }
    }
}
