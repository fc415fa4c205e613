import CGSL

/// Numerical integration on GSL's QAGS (adaptive Gauss–Kronrod 21 with Wynn ε extrapolation, GSL manual
/// §17.3.4). Used to check the oracle's closed forms; GSL status codes come back as ``GSLError``.
public enum Quadrature {
    private final class Integrand {
        let f: (Double) -> Double
        init(_ f: @escaping (Double) -> Double) { self.f = f }
    }

    /// ∫ₐᵇ f(x) dx to the given absolute / relative tolerance. Throws ``GSLError`` when GSL cannot reach it
    /// (e.g. `GSL_EMAXITER`, `GSL_EROUND`, `GSL_ESING`, `GSL_EDIVERGE`).
    public static func integrate(
        _ f: @escaping (Double) -> Double, from a: Double, to b: Double, absoluteTolerance: Double = 0,
        relativeTolerance: Double = 1e-10, limit: Int = 1000
    ) throws -> (value: Double, error: Double) {
        GSL.prepare()
        guard let workspace = gsl_integration_workspace_alloc(limit) else {
            throw GSLError(status: Int32(GSL_ENOMEM), operation: "gsl_integration_workspace_alloc")
        }
        defer { gsl_integration_workspace_free(workspace) }
        let box = Integrand(f)
        let context = Unmanaged.passRetained(box)
        defer { context.release() }
        var function = gsl_function(
            function: { x, params in
                guard let params else { return .nan }
                return Unmanaged<Integrand>.fromOpaque(params).takeUnretainedValue().f(x)
            },
            params: context.toOpaque())
        var value = 0.0
        var error = 0.0
        let status = gsl_integration_qags(
            &function, a, b, absoluteTolerance, relativeTolerance, limit, workspace, &value, &error)
        try GSLError.check(status, "gsl_integration_qags on [\(a), \(b)]")
        return (value, error)
    }
}
