extension Scenario {
    /// Every sweepable setting path, in the order the blocks are written: the `engine.*` settings, then the
    /// `governance.*` laws. Includes the exploration thresholds (`engine.exploration_priority.thresholds.low|high`).
    public static let settingPaths: [String] = Setting.allCases.map(\.path)

    /// The setting's current value with its canonical type (integer settings as `.integer`, number settings as
    /// `.number`), or `nil` for a path that is not in `settingPaths`.
    public func value(at path: String) -> SettingValue? {
        Setting(rawValue: path).map { $0.value(in: self) }
    }

    /// Why `value` is not valid for the setting at `path` (unknown path, wrong type, out of range), or `nil`.
    public static func settingProblem(path: String, value: SettingValue) -> String? {
        guard let setting = Setting(rawValue: path) else { return Setting.unknownReason(path) }
        if case .failure(let problem) = setting.check(value) { return problem.reason }
        return nil
    }

    /// This scenario with the given settings changed, type- and range-checked like a file.
    ///
    /// An integer is accepted for a number setting and an integral number for an integer setting. Unknown paths,
    /// wrong types, values out of range and combinations the file would reject (all weights zero, low threshold
    /// above high) throw a `ScenarioError` whose diagnostics name the path; they carry the location
    /// `<overrides>` (no line). The sweep, baseline and checks are left unchanged.
    public func applying(_ overrides: [String: SettingValue]) throws -> Scenario {
        var result = self
        var diagnostics: [Diagnostic] = []
        let location = SourceLocation(file: "<overrides>", line: 0, column: 0)
        for path in overrides.keys.sorted() {
            guard let value = overrides[path] else { continue }
            guard let setting = Setting(rawValue: path) else {
                diagnostics.append(Diagnostic(location: location, path: path, reason: Setting.unknownReason(path)))
                continue
            }
            switch setting.check(value) {
            case .success(let converted): setting.set(converted, in: &result)
            case .failure(let problem):
                diagnostics.append(Diagnostic(location: location, path: path, reason: problem.reason))
            }
        }
        if diagnostics.isEmpty {
            for problem in result.crossFieldProblems() {
                diagnostics.append(Diagnostic(location: location, path: problem.path, reason: problem.reason))
            }
        }
        guard diagnostics.isEmpty else { throw ScenarioError(diagnostics: diagnostics) }
        return result
    }

    /// The sweep grid: the cartesian product of the axes' values.
    ///
    /// Order: axes in file order, the first axis varying slowest and the last fastest (like nested loops, or an
    /// odometer); each axis' values in file order. Configuration `i` of this list is the `config` index used in
    /// outputs. `[[:]]` (one empty configuration) when there is no sweep.
    public func configurations() -> [[String: SettingValue]] {
        Scenario.grid(sweep)
    }

    /// The index in `configurations()` of the baseline: the first configuration (in grid order) whose values agree
    /// with every entry of `baseline`, so swept settings the baseline does not name take their axis' first value.
    /// 0 when the baseline is empty (or, for a scenario built in code, matches no configuration).
    public func baselineConfigurationIndex() -> Int {
        configurations().firstIndex { configuration in
            baseline.allSatisfy { configuration[$0.key] == $0.value }
        } ?? 0
    }

    static func grid(_ axes: [SweepAxis]) -> [[String: SettingValue]] {
        var result: [[String: SettingValue]] = [[:]]
        for axis in axes {
            result = result.flatMap { partial in
                axis.values.map { value in
                    var configuration = partial
                    configuration[axis.path] = value
                    return configuration
                }
            }
        }
        return result
    }
}
