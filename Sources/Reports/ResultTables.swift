import Experiments
import Scenarios
import Simulation

/// The CSV files of SPEC §4, built from experiment results. Pure: values in, tables out.
public enum ResultTables {
    /// daily.csv.
    public static func daily(_ rows: [DailyRow]) -> CSVTable {
        CSVTable(
            header: DailyRow.columns,
            rows: rows.map { d in
                [
                    d.config, String(d.replicate), String(d.day), d.persona, String(d.signups), String(d.explore),
                    String(d.exploit),
                    String(d.holdback), d.championFlow, d.trueBestFlow, Format.flag(d.championCorrect),
                    Format.number(d.activationRate), Format.number(d.regret), Format.number(d.cumulativeRegret),
                    String(d.patterns), String(d.rollbacks), Format.flag(d.jobFailed),
                ]
            })
    }

    /// Parses daily.csv back into rows (`merge`, charts of a merged sweep).
    public static func parseDaily(_ table: CSVTable, file: String) throws -> [DailyRow] {
        guard table.header == DailyRow.columns else {
            throw CSVError(
                line: 1, reason: "unexpected header; expected \(DailyRow.columns.joined(separator: ","))", file: file)
        }
        return try table.rows.enumerated().map { i, f in
            let line = i + 2
            func int(_ k: Int) throws -> Int {
                guard let v = Int(f[k]) else {
                    throw CSVError(
                        line: line, reason: "\(DailyRow.columns[k]): expected an integer, found '\(f[k])'", file: file)
                }
                return v
            }
            func num(_ k: Int) throws -> Double {
                guard let v = Double(f[k]), v.isFinite else {
                    throw CSVError(
                        line: line, reason: "\(DailyRow.columns[k]): expected a number, found '\(f[k])'", file: file)
                }
                return v
            }
            func flag(_ k: Int) throws -> Bool {
                switch f[k] {
                case "0": return false
                case "1": return true
                default:
                    throw CSVError(
                        line: line, reason: "\(DailyRow.columns[k]): expected 0 or 1, found '\(f[k])'", file: file)
                }
            }
            return DailyRow(
                config: f[0], replicate: try int(1), day: try int(2), persona: f[3], signups: try int(4),
                explore: try int(5),
                exploit: try int(6), holdback: try int(7), championFlow: f[8], trueBestFlow: f[9],
                championCorrect: try flag(10),
                activationRate: f[11].isEmpty ? nil : try num(11), regret: try num(12), cumulativeRegret: try num(13),
                patterns: try int(14), rollbacks: try int(15), jobFailed: try flag(16))
        }
    }

    /// replicates.csv from rows.
    public static func replicates(_ rows: [ReplicateRow]) -> CSVTable {
        CSVTable(
            header: ReplicateRow.columns,
            rows: rows.map { r in
                [
                    r.config, String(r.replicate), r.persona, String(r.users), Format.number(r.cumulativeRegret),
                    Format.number(r.regretPerUser), Format.number(r.activationRate), Format.number(r.retentionRate),
                    Format.number(r.upgradeRate), Format.flag(r.finalChampionCorrect),
                    r.firstCorrectDay.map(String.init) ?? "",
                    String(r.championChanges), String(r.rollbacks), String(r.failedJobs), String(r.patterns),
                ]
            })
    }

    /// Parses replicates.csv back into rows (for `compare` and `merge`), checking the header and every value.
    public static func parseReplicates(_ table: CSVTable, file: String) throws -> [ReplicateRow] {
        guard table.header == ReplicateRow.columns else {
            throw CSVError(
                line: 1, reason: "unexpected header; expected \(ReplicateRow.columns.joined(separator: ","))",
                file: file)
        }
        return try table.rows.enumerated().map { i, f in
            let line = i + 2
            func int(_ k: Int) throws -> Int {
                guard let v = Int(f[k]) else {
                    throw CSVError(
                        line: line, reason: "\(ReplicateRow.columns[k]): expected an integer, found '\(f[k])'",
                        file: file)
                }
                return v
            }
            func num(_ k: Int) throws -> Double {
                guard let v = Double(f[k]), v.isFinite else {
                    throw CSVError(
                        line: line, reason: "\(ReplicateRow.columns[k]): expected a number, found '\(f[k])'", file: file
                    )
                }
                return v
            }
            func optNum(_ k: Int) throws -> Double? { f[k].isEmpty ? nil : try num(k) }
            func optFlag(_ k: Int) throws -> Bool? {
                switch f[k] {
                case "": return nil
                case "0": return false
                case "1": return true
                default:
                    throw CSVError(
                        line: line, reason: "\(ReplicateRow.columns[k]): expected 0, 1 or empty, found '\(f[k])'",
                        file: file)
                }
            }
            return ReplicateRow(
                config: f[0], replicate: try int(1), persona: f[2], users: try int(3), cumulativeRegret: try num(4),
                regretPerUser: try num(5), activationRate: try optNum(6), retentionRate: try optNum(7),
                upgradeRate: try optNum(8),
                finalChampionCorrect: try optFlag(9), firstCorrectDay: f[10].isEmpty ? nil : try int(10),
                championChanges: try int(11), rollbacks: try int(12), failedJobs: try int(13), patterns: try int(14))
        }
    }

    /// flows.csv (README, outputs): per config × replicate × signup day × persona × flow presented, the users
    /// presented it and how many complete every step, activate, are retained and upgrade. Written only when the
    /// scenario has a step funnel.
    public static func flows(_ rows: [FlowRow]) -> CSVTable {
        CSVTable(
            header: FlowRow.columns,
            rows: rows.map { r in
                [
                    r.config, String(r.replicate), String(r.day), r.persona, r.flow, String(r.presented),
                    String(r.completed), String(r.activated), String(r.retained), String(r.upgraded),
                ]
            })
    }

    /// activation_regret.csv (SPEC §2.4 "also reported"): per config × replicate × persona (and ALL), the regret on
    /// 7-day activation alone — best presentable activation rate minus the presented flow's, summed over users.
    /// A file of its own so that replicates.csv keeps exactly the columns of SPEC §4.
    public static let activationRegretColumns = ["config", "replicate", "persona", "cumulative_activation_regret"]

    public static func activationRegret(_ rows: [ReplicateRow]) -> CSVTable {
        CSVTable(
            header: activationRegretColumns,
            rows: rows.map {
                [$0.config, String($0.replicate), $0.persona, Format.number($0.cumulativeActivationRegret)]
            })
    }

    /// configs.csv: `config`, `baseline` (1 for the baseline), then one column per swept setting path.
    public static func configs(_ table: ConfigTable) -> CSVTable {
        CSVTable(
            header: ["config", "baseline"] + table.paths,
            rows: table.configs.map { c in
                [c.name, Format.flag(c.name == table.baseline)] + table.paths.map { c.values[$0]?.description ?? "" }
            })
    }

    public static func parseConfigs(_ csv: CSVTable, file: String) throws -> ConfigTable {
        guard csv.header.count >= 2, csv.header[0] == "config", csv.header[1] == "baseline" else {
            throw CSVError(line: 1, reason: "expected the columns config,baseline,<setting paths…>", file: file)
        }
        let paths = Array(csv.header.dropFirst(2))
        var baseline: String?
        var configs: [ConfigTable.Entry] = []
        for (i, row) in csv.rows.enumerated() {
            if row[1] == "1" {
                if baseline != nil { throw CSVError(line: i + 2, reason: "a second baseline row", file: file) }
                baseline = row[0]
            } else if row[1] != "0" {
                throw CSVError(line: i + 2, reason: "baseline: expected 0 or 1, found '\(row[1])'", file: file)
            }
            var values: [String: SettingValue] = [:]
            for (k, path) in paths.enumerated() where !row[k + 2].isEmpty {
                values[path] = SettingValue(parsing: row[k + 2])
            }
            configs.append(ConfigTable.Entry(name: row[0], values: values))
        }
        guard let baseline else { throw CSVError(line: 1, reason: "no row is marked as the baseline", file: file) }
        return ConfigTable(paths: paths, configs: configs, baseline: baseline)
    }
}
