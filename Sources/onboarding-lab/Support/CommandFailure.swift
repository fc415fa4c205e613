import ArgumentParser
import Calibration
import Experiments
import Foundation
import OnboardingEngine
import OnboardingPersistence
import Reports
import Scenarios
import Simulation
import Stochastics

/// Turns what a command throws into `error:` lines on stderr and the documented exit code.
///
/// | error | exit |
/// |---|---|
/// | `ScenarioError` (a scenario or `--config` file), `CSVError` / `MergeError` (a results folder), `StatisticsError`, `SimulationError` | 2 |
/// | `OutputError` (results could not be written) | 5 |
/// | `PersistenceError` missing database, not an engine database, schema too new, job lease held; other SQLite failures | 3 |
/// | `PersistenceError.corruptRow`, `EngineError.store` (the contents contradict themselves), `CalibrationError` (contents cannot make a scenario) | 4 |
/// | any other `EngineError` | 6 |
/// | `FigureConversionError` (a PNG or PDF chart could not be made) | 7 |
enum CommandFailure {
    /// Runs `body`; on error prints it and throws the matching `ExitCode` (which ArgumentParser exits with
    /// silently). `ExitCode`s and ArgumentParser's own errors pass through unchanged.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch let error as PlanInputError {
            StandardError.write("error: \(error)")
            throw ExitCode.validationFailure
        } catch {
            for line in messages(for: error) { StandardError.write("error: \(line)") }
            throw exitCode(for: error)
        }
    }

    static func exitCode(for error: Error) -> ExitCode {
        switch error {
        case is ScenarioError, is CSVError, is MergeError, is StatisticsError, is SimulationError, is ResultFolderError:
            return LabExit.invalidInput
        case is OutputError:
            return LabExit.outputFailed
        case is FigureConversionError:
            return LabExit.figureConverterMissing
        case is CalibrationError:
            return LabExit.databaseCorrupt
        case let error as PersistenceError:
            switch error {
            case .missingDatabase, .notAnEngineDatabase, .schemaTooNew, .unavailable, .needsMigration, .leaseHeld:
                return LabExit.databaseRefused
            case .corruptRow: return LabExit.databaseCorrupt
            }
        case let error as EngineError:
            if case .store = error { return LabExit.databaseCorrupt }
            return LabExit.engineRefused
        default:
            // SQLite failures the store does not classify (a locked or read-only file, an I/O error).
            return LabExit.databaseRefused
        }
    }

    /// One line per problem (a configuration file may have several).
    static func messages(for error: Error) -> [String] {
        switch error {
        case let error as ScenarioError:
            return error.diagnostics.isEmpty ? ["invalid configuration file"] : error.diagnostics.map(\.description)
        case let error as PersistenceError:
            return [error.description]
        case let error as CalibrationError:
            return [error.description]
        case let error as EngineError:
            return [error.description]
        case let error as OutputError:
            return ["cannot write results: \(error)"]
        case is CSVError, is MergeError, is StatisticsError, is SimulationError, is ResultFolderError,
            is FigureConversionError:
            return [String(describing: error)]
        default:
            return ["database error: \(oneLine(String(describing: error)))"]
        }
    }

    /// A message on one line: SQLite errors lose the statement GRDB appends (`… - while executing `SQL``), and
    /// any remaining line breaks become spaces.
    static func oneLine(_ message: String) -> String {
        var text = Substring(message)
        if let statement = text.range(of: " - while executing `") { text = text[..<statement.lowerBound] }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.joined(separator: " ")
    }
}
