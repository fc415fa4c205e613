import CGSL
import Stochastics

/// Unconstrained minimisation with GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`), and the
/// observed information (a finite-difference Hessian) at the minimum.
enum Minimizer {
    /// The objective, reached from GSL's C callback through its `params` pointer.
    private final class Objective {
        let function: ([Double]) -> Double
        init(_ function: @escaping ([Double]) -> Double) { self.function = function }
    }

    /// The point minimising `function` from `start` (initial steps `step`), to a simplex size of `tolerance`.
    /// Throws ``GSLError`` when GSL fails and ``StatisticsError`` when the simplex does not converge.
    static func minimize(
        _ function: @escaping ([Double]) -> Double, start: [Double], step: [Double], tolerance: Double = 1e-6,
        maxIterations: Int = 5000
    ) throws -> [Double] {
        GSL.prepare()
        let n = start.count
        let objective = Objective(function)
        let callback: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?) -> Double = { x, params in
            guard let x, let params else { return .nan }
            let box = Unmanaged<Objective>.fromOpaque(params).takeUnretainedValue()
            let point = (0..<Int(x.pointee.size)).map { gsl_vector_get(x, $0) }
            let value = box.function(point)
            return value.isFinite ? value : .greatestFiniteMagnitude
        }
        return try withExtendedLifetime(objective) {
            var gslFunction = gsl_multimin_function(
                f: callback, n: n, params: Unmanaged.passUnretained(objective).toOpaque())
            guard let x = gsl_vector_alloc(n), let steps = gsl_vector_alloc(n) else {
                throw StatisticsError("minimize: cannot allocate vectors of size \(n)")
            }
            defer {
                gsl_vector_free(x)
                gsl_vector_free(steps)
            }
            for i in 0..<n {
                gsl_vector_set(x, i, start[i])
                gsl_vector_set(steps, i, step[i])
            }
            guard let state = gsl_multimin_fminimizer_alloc(cgsl_multimin_nmsimplex2(), n) else {
                throw StatisticsError("minimize: cannot allocate the simplex minimiser")
            }
            defer { gsl_multimin_fminimizer_free(state) }
            try GSLError.check(
                gsl_multimin_fminimizer_set(state, &gslFunction, x, steps), "gsl_multimin_fminimizer_set")
            var converged = false
            var lastStatus = Int32(GSL_SUCCESS)
            for _ in 0..<maxIterations {
                lastStatus = gsl_multimin_fminimizer_iterate(state)
                let size = gsl_multimin_fminimizer_size(state)
                if gsl_multimin_test_size(size, tolerance) == GSL_SUCCESS {
                    converged = true
                    break
                }
                // No further progress (GSL_ENOPROG) on a simplex already small: the minimum to working precision.
                if lastStatus != GSL_SUCCESS {
                    converged = size < 1e-5
                    break
                }
            }
            // The simplex cannot shrink below the objective's rounding noise; a small one is the minimum.
            if !converged { converged = gsl_multimin_fminimizer_size(state) < 1e-4 }
            guard converged, let best = gsl_multimin_fminimizer_x(state) else {
                throw StatisticsError(
                    "minimize: the simplex did not converge (GSL status \(lastStatus), \(maxIterations) iterations at most)"
                )
            }
            return (0..<n).map { gsl_vector_get(best, $0) }
        }
    }

    /// The Hessian of `function` at `x` by central differences with steps `h`.
    static func hessian(_ function: ([Double]) -> Double, at x: [Double], h: [Double]) -> [[Double]] {
        let n = x.count
        var result = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        func shifted(_ moves: [(Int, Double)]) -> Double {
            var point = x
            for (i, d) in moves { point[i] += d }
            return function(point)
        }
        let center = function(x)
        for i in 0..<n {
            result[i][i] = (shifted([(i, h[i])]) - 2 * center + shifted([(i, -h[i])])) / (h[i] * h[i])
            for j in 0..<i {
                let value =
                    (shifted([(i, h[i]), (j, h[j])]) - shifted([(i, h[i]), (j, -h[j])])
                        - shifted([(i, -h[i]), (j, h[j])]) + shifted([(i, -h[i]), (j, -h[j])])) / (4 * h[i] * h[j])
                result[i][j] = value
                result[j][i] = value
            }
        }
        return result
    }

    /// The inverse of a 1×1 or 2×2 symmetric positive-definite matrix, or nil when it is not positive definite.
    static func inverse(_ m: [[Double]]) -> [[Double]]? {
        switch m.count {
        case 1:
            guard m[0][0] > 0 else { return nil }
            return [[1 / m[0][0]]]
        case 2:
            let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
            guard m[0][0] > 0, det > 0 else { return nil }
            return [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
        default:
            return nil
        }
    }
}
