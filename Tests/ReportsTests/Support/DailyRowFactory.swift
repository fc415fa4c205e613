import Experiments
import Scenarios

/// Synthetic daily.csv rows with known shapes: regret grows linearly per config (with replicate noise), the champion
/// becomes correct on a config-dependent day, activation is known except for the last 7 days.
enum DailyRowFactory {
    static func configTable(_ names: [String], labels: [String]? = nil, baseline: String? = nil) -> ConfigTable {
        let values: [SettingValue] =
            labels.map { $0.map { .string($0) } } ?? names.indices.map { .number(Double($0 * 5) / 100) }
        return ConfigTable(
            paths: ["engine.epsilon"],
            configs: zip(names, values).map { ConfigTable.Entry(name: $0, values: ["engine.epsilon": $1]) },
            baseline: baseline ?? names.first ?? "c0")
    }

    /// Rows for every config × replicate × day × persona, in output order.
    static func rows(
        configs: [String], replicates: Int, days: Int, personas: [String] = ["mlm_newbie", "agency_owner"],
        noChampion: Set<String> = [], zero: Bool = false
    ) -> [DailyRow] {
        var rows: [DailyRow] = []
        for (c, config) in configs.enumerated() {
            for r in 0..<replicates {
                for (p, persona) in personas.enumerated() {
                    var cumulative = 0.0
                    for day in 0..<days {
                        let noise = Double((r * 7 + day * 3 + p) % 5) / 10
                        let regret = zero ? 0 : Double(c + 1) * (1 + noise)
                        cumulative += regret
                        let correctFrom = 3 + c * 2 + r % 3
                        let champion =
                            noChampion.contains(persona) ? "" : day >= correctFrom ? "D" : (day < 2 ? "A" : "B")
                        let known = day < days - 7
                        rows.append(
                            DailyRow(
                                config: config, replicate: r, day: day, persona: persona,
                                signups: zero ? 0 : 40 + p * 10,
                                explore: 4, exploit: 30, holdback: 6, championFlow: champion, trueBestFlow: "D",
                                championCorrect: champion == "D",
                                activationRate: known && !zero ? 0.6 + Double((day + c + r) % 7) / 100 : nil,
                                regret: regret,
                                cumulativeRegret: cumulative, patterns: 0, rollbacks: 0, jobFailed: false))
                    }
                }
            }
        }
        return rows
    }
}
