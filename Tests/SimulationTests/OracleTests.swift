import Foundation
import OnboardingEngine
import Simulation
import Stochastics
import Testing

/// The oracle's closed forms against numerical integration (composite Simpson's rule on 200,000 panels; its
/// error on these smooth integrands is far below the stated tolerance).
@Suite("Oracle")
struct OracleTests {
    static let upper = Oracle.truncationMinutes

    /// ∫₀ᵘ x f(x) dx / ∫₀ᵘ f(x) dx by Simpson's rule.
    static func truncatedMean(density f: (Double) -> Double, upper: Double, panels: Int = 200_000) -> Double {
        let h = upper / Double(panels)
        var num = 0.0
        var den = 0.0
        for i in 0...panels {
            let x = Double(i) * h
            let w: Double = (i == 0 || i == panels) ? 1 : (i % 2 == 1 ? 4 : 2)
            let fx = f(x)
            num += w * x * fx
            den += w * fx
        }
        return num / den
    }

    static func lognormalDensity(median: Double, sigma: Double) -> (Double) -> Double {
        let mu = log(median)
        return { x in
            x <= 0 ? 0 : exp(-pow(log(x) - mu, 2) / (2 * sigma * sigma)) / (x * sigma * (2 * Double.pi).squareRoot())
        }
    }

    /// Relative tolerance 1e-6 (Simpson's error with h = 0.05 minutes is orders of magnitude smaller).
    @Test(arguments: [(90.0, 0.8), (55.0, 0.8), (240.0, 0.9), (3000.0, 1.5), (5.0, 0.5)])
    func truncatedLognormalMeanMatchesIntegration(median: Double, sigma: Double) throws {
        let closed = Oracle.expectedTimeToWin(.lognormal(medianMinutes: median, sigma: sigma))
        let numeric = Self.truncatedMean(
            density: Self.lognormalDensity(median: median, sigma: sigma), upper: Self.upper)
        let density = Self.lognormalDensity(median: median, sigma: sigma)
        let qags =
            try Quadrature.integrate({ $0 * density($0) }, from: 0, to: Self.upper).value
            / (try Quadrature.integrate(density, from: 0, to: Self.upper).value)
        #expect(abs(closed - qags) / qags < 1e-8, "closed form \(closed), QAGS \(qags)")
        #expect(abs(closed - numeric) / numeric < 1e-6, "closed form \(closed), Simpson \(numeric)")
    }

    @Test(arguments: [60.0, 600.0, 4000.0])
    func truncatedExponentialMeanMatchesIntegration(median: Double) {
        let rate = M_LN2 / median
        let closed = Oracle.expectedTimeToWin(.exponential(medianMinutes: median))
        let numeric = Self.truncatedMean(density: { rate * exp(-rate * $0) }, upper: Self.upper)
        #expect(abs(closed - numeric) / numeric < 1e-6, "closed form \(closed), Simpson \(numeric)")
    }

    /// The quantile function inverts the truncated CDF: the sample mean of 200,000 inverse-CDF draws matches the
    /// closed-form mean within 4 standard errors.
    @Test func inverseCDFSamplesHaveTheClosedFormMean() {
        let law = TimeToWin.lognormal(medianMinutes: 90, sigma: 0.8)
        let stream = RandomStream(seed: 17)
        let n = 200_000
        var sum = 0.0
        var sumSq = 0.0
        for _ in 0..<n {
            let t = Double(Oracle.timeToWin(law, u: stream.uniform()))
            sum += t
            sumSq += t * t
        }
        let mean = sum / Double(n)
        let sd = (sumSq / Double(n) - mean * mean).squareRoot()
        // Whole minutes (rounded up) add 0.5 minute on average.
        let expected = Oracle.expectedTimeToWin(law) + 0.5
        #expect(abs(mean - expected) < 4 * sd / Double(n).squareRoot(), "sample mean \(mean), expected \(expected)")
        #expect(Oracle.timeToWin(law, u: 0.999_999_9) <= Int(Self.upper))
    }

    /// The seed's narrative: D is the true best of mlm_newbie under the default weights, and regret is measured
    /// against the flows users can be presented on the day (a candidate counts from its introduced day).
    @Test func trueBestAndRegret() {
        func truth(_ a: Double, _ r: Double, _ m: Double) -> FlowTruth {
            FlowTruth(
                activation7d: a, retentionIfActivated: r, retentionIfNot: r, upgrade: 0,
                timeToFirstWin: .lognormal(medianMinutes: m, sigma: 0.8))
        }
        let persona = PersonaModel(
            id: "mlm_newbie", share: 1, activationEvent: "first_lead", v3Default: [(0, "product_first", 1)],
            flows: [
                FlowModel(id: "A", steps: ["a"], truth: truth(0.65, 0.55, 90)),
                FlowModel(id: "E", steps: ["e"], candidate: true, introducedDay: 10, truth: truth(0.9, 0.9, 10)),
            ])
        let world = World(
            horizonDays: 20, traffic: TrafficModel(schedule: [(0, 10)], poisson: false), personas: [persona])
        let oracle = Oracle(world: world)
        #expect(oracle.trueBest(persona: 0, day: 9).flow == 0)
        #expect(oracle.trueBest(persona: 0, day: 10).flow == 1)
        #expect(oracle.regret(persona: 0, flow: 0, day: 9).score == 0)
        #expect(oracle.regret(persona: 0, flow: 0, day: 10).score > 0)
        let score = oracle.trueScore(persona: 0, flow: 0, day: 0)
        let expected =
            0.5 * 0.65 + 0.3 * 0.55 + 0.2
            * (1 - Oracle.expectedTimeToWin(.lognormal(medianMinutes: 90, sigma: 0.8)) / 1440)
        #expect(abs(score - expected) < 1e-15)
    }
}
