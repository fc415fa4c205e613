import Experiments

/// One row of inference.csv: with persona inference, one configuration × replicate × true persona (and `ALL`):
/// the users, those the runtime inferred as another persona, and the regret of each group.
public struct MisclassificationRow: Sendable, Equatable {
    public var config: String
    public var replicate: Int
    public var persona: String
    public var users: Int
    public var misclassified: Int
    public var regret: Double
    public var misclassifiedRegret: Double

    public static let columns = [
        "config", "replicate", "persona", "users", "misclassified", "cumulative_regret", "misclassified_regret",
    ]

    public init(
        config: String, replicate: Int, persona: String, users: Int, misclassified: Int, regret: Double,
        misclassifiedRegret: Double
    ) {
        self.config = config
        self.replicate = replicate
        self.persona = persona
        self.users = users
        self.misclassified = misclassified
        self.regret = regret
        self.misclassifiedRegret = misclassifiedRegret
    }

    /// The rows of the replicates that ran with persona inference (none otherwise).
    public static func rows(_ replicates: [ReplicateRow]) -> [MisclassificationRow] {
        replicates.compactMap { r in
            guard let misclassified = r.misclassifiedUsers, let regret = r.misclassifiedRegret else { return nil }
            return MisclassificationRow(
                config: r.config, replicate: r.replicate, persona: r.persona, users: r.users,
                misclassified: misclassified, regret: r.cumulativeRegret, misclassifiedRegret: regret)
        }
    }

    /// The regret misclassified users had beyond what correctly inferred users of the same persona had on
    /// average: misclassified × (their regret per user − the others' regret per user). 0 without misclassified
    /// users (or without correctly inferred ones to compare with).
    public var excessRegret: Double {
        let correct = users - misclassified
        guard misclassified > 0, correct > 0 else { return 0 }
        let perMisclassified = misclassifiedRegret / Double(misclassified)
        let perCorrect = (regret - misclassifiedRegret) / Double(correct)
        return Double(misclassified) * (perMisclassified - perCorrect)
    }
}

extension ResultTables {
    public static func inference(_ rows: [MisclassificationRow]) -> CSVTable {
        CSVTable(
            header: MisclassificationRow.columns,
            rows: rows.map {
                [
                    $0.config, String($0.replicate), $0.persona, String($0.users), String($0.misclassified),
                    Format.number($0.regret), Format.number($0.misclassifiedRegret),
                ]
            })
    }

    /// Parses inference.csv back (for `compare` and `merge`), checking the header and every value.
    public static func parseInference(_ table: CSVTable, file: String) throws -> [MisclassificationRow] {
        let columns = MisclassificationRow.columns
        guard table.header == columns else {
            throw CSVError(line: 1, reason: "unexpected header; expected \(columns.joined(separator: ","))", file: file)
        }
        return try table.rows.enumerated().map { i, f in
            func int(_ k: Int) throws -> Int {
                guard let v = Int(f[k]), v >= 0 else {
                    throw CSVError(
                        line: i + 2, reason: "\(columns[k]): expected a count, found '\(f[k])'", file: file)
                }
                return v
            }
            func num(_ k: Int) throws -> Double {
                guard let v = Double(f[k]), v.isFinite else {
                    throw CSVError(line: i + 2, reason: "\(columns[k]): expected a number, found '\(f[k])'", file: file)
                }
                return v
            }
            return MisclassificationRow(
                config: f[0], replicate: try int(1), persona: f[2], users: try int(3), misclassified: try int(4),
                regret: try num(5), misclassifiedRegret: try num(6))
        }
    }
}

/// report.md's "Persona inference" section: per true persona and configuration, how many users the runtime
/// misclassified and what it cost them (means over replicates).
struct InferenceSection {
    var rows: [MisclassificationRow]
    var configs: ConfigTable

    var text: String {
        guard !rows.isEmpty else { return "" }
        var out = "## Persona inference: the cost of misclassification\n\n"
        out +=
            "The runtime inferred some users as another persona (`persona_inference`): the engine assigned them with that persona's patterns, while their behaviour followed their true persona. Per true persona, means over replicates: the share misclassified, regret per user of correctly inferred and of misclassified users, and the *excess regret* — misclassified users × (their regret per user − the correctly inferred users' regret per user), the regret the misclassification added (`inference.csv` has every replicate).\n\n"
        out +=
            "| persona | config | users | misclassified | regret/user, correct | regret/user, misclassified | excess regret | share of the persona's regret |\n|---|---|---|---|---|---|---|---|\n"
        var personas: [String] = []
        for r in rows where !personas.contains(r.persona) { personas.append(r.persona) }
        for persona in personas {
            for c in configs.configs {
                let group = rows.filter { $0.persona == persona && $0.config == c.name }
                guard !group.isEmpty else { continue }
                let n = Double(group.count)
                let users = group.reduce(0) { $0 + $1.users }
                let misclassified = group.reduce(0) { $0 + $1.misclassified }
                let regret = group.reduce(0.0) { $0 + $1.regret }
                let misRegret = group.reduce(0.0) { $0 + $1.misclassifiedRegret }
                // ALL: the sum of the personas' excess (comparing regret per user across personas would mix
                // their different truths).
                let excess =
                    persona == "ALL"
                    ? rows.filter { $0.persona != "ALL" && $0.config == c.name }.reduce(0.0) { $0 + $1.excessRegret }
                    : group.reduce(0.0) { $0 + $1.excessRegret }
                let correct = users - misclassified
                let perCorrect = correct > 0 ? Format.fixed((regret - misRegret) / Double(correct), 4) : "–"
                let perMis = misclassified > 0 ? Format.fixed(misRegret / Double(misclassified), 4) : "–"
                let share = users > 0 ? Format.percent(Double(misclassified) / Double(users)) : "–"
                let ofRegret = regret > 0 ? Format.percent(excess / regret) : "–"
                out +=
                    "| \(persona) | \(c.name) | \(Format.fixed(Double(users) / n, 1)) | \(share) | \(perCorrect) | \(perMis) | \(Format.fixed(excess / n, 2)) | \(ofRegret) |\n"
            }
        }
        return out + "\n"
    }
}
