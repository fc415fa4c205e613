import Foundation
import Scenarios
import Stochastics

/// A scenario file `calibrate` wrote: its path, text and the scenario the loader reads back from it.
public struct CalibratedFile: Sendable {
    public var path: String
    public var text: String
    public var scenario: Scenario
}

extension CalibratedScenario {
    /// The point-estimate scenario and `draws` posterior draws as scenario texts, each parsed back with
    /// ``ScenarioLoader`` (so an invalid file is never written: a ``ScenarioError`` is thrown instead).
    ///
    /// Draw k (1-based) is written next to `out` as `<stem>.draw-kk.yaml` and named `<name>-draw-kk`. All draws come
    /// from one GSL mt19937 generator seeded with `seed`, in file order (persona shares, then per flow: activation,
    /// retention, upgrade, time to first win, then the deviation rate), so the same database and seed give the same
    /// files. `seed` is also the scenarios' `seed:`.
    public func files(out: String, name: String, seed: UInt64, draws: Int) throws -> [CalibratedFile] {
        var result: [CalibratedFile] = []
        let point = yaml(name: name, seed: seed)
        result.append(CalibratedFile(path: out, text: point, scenario: try ScenarioLoader.parse(point, file: out)))
        guard draws > 0 else { return result }
        let random = RandomStream(seed: seed)
        let stem = out.hasSuffix(".yaml") ? String(out.dropLast(5)) : out
        let width = max(2, String(draws).count)
        for k in 1...draws {
            let number = String(repeating: "0", count: width - String(k).count) + String(k)
            let path = "\(stem).draw-\(number).yaml"
            let text = yaml(name: "\(name)-draw-\(number)", seed: seed, draw: random)
            result.append(CalibratedFile(path: path, text: text, scenario: try ScenarioLoader.parse(text, file: path)))
        }
        return result
    }

    /// A scenario name (lowercase letters, digits, `-`) from a file name: `out/Prod Scenario.yaml` → `prod-scenario`.
    public static func name(forOutput path: String) -> String {
        let file = (path as NSString).lastPathComponent
        let stem = file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file
        var name = ""
        for character in stem.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                name.append(character)
            } else if !name.hasSuffix("-") {
                name.append("-")
            }
        }
        while name.hasSuffix("-") { name.removeLast() }
        while name.hasPrefix("-") { name.removeFirst() }
        return name.isEmpty ? "calibrated" : name
    }
}
