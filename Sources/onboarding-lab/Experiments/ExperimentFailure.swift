import ArgumentParser
import Experiments
import OnboardingEngine
import Reports
import Scenarios
import Simulation

/// Turns what an experiment command throws into `error:` lines on stderr and the documented exit code:
/// invalid scenario, CSV or argument values → 2; results that cannot be written → 5.
enum ExperimentFailure {
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch let error as ScenarioError {
            for d in error.diagnostics { StandardError.write("error: \(d.description)") }
            throw LabExit.invalidInput
        } catch let error as OutputError {
            StandardError.write("error: cannot write results: \(error)")
            throw LabExit.outputFailed
        } catch {
            StandardError.write("error: \(error)")
            throw LabExit.invalidInput
        }
    }
}
