import Foundation
import Stochastics
import Testing

@testable import Calibration

/// The estimators on synthetic samples whose truth is known.
@Suite("calibration estimators")
struct EstimatorTests {
    /// Poisson daily counts with no weekly pattern: the chi-square test (α = 0.01) invents a pattern in at most
    /// 4% of 300 series (expected 1%; P(≥ 12 of 300 | 1%) < 1e-4); with a real pattern (weekend at 0.6) it finds it
    /// in at least 99% of them, with multipliers within 0.1 of the truth.
    @Test func weeklyPatternIsDetectedWhenPresentAndNotInvented() throws {
        let random = RandomStream(seed: 42)
        let truth = [1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75]
        var falsePositives = 0
        var detections = 0
        var closeMultipliers = 0
        let series = 300
        for _ in 0..<series {
            let flat = (0..<120).map { _ in random.poisson(300) }
            if TrafficEstimate(counts: flat).weekly != nil { falsePositives += 1 }
            let weekly = (0..<120).map { random.poisson(300 * truth[$0 % 7]) }
            let estimate = TrafficEstimate(counts: weekly)
            if let multipliers = estimate.weekly {
                detections += 1
                if zip(multipliers, truth).allSatisfy({ abs($0 - $1) < 0.1 }) { closeMultipliers += 1 }
            }
        }
        #expect(falsePositives <= 12, "weekly pattern invented in \(falsePositives) of \(series) flat series")
        #expect(detections >= 297, "weekly pattern found in only \(detections) of \(series) series")
        #expect(closeMultipliers == detections)
    }

    /// Poisson counts pass the dispersion test and are not called constant; constant counts are under-dispersed
    /// (constant arrivals); a doubled variance is flagged as overdispersed; the mean's interval covers the rate.
    @Test func dispersionAndMean() throws {
        let random = RandomStream(seed: 7)
        var covered = 0
        var overdispersed = 0
        for _ in 0..<200 {
            let estimate = TrafficEstimate(counts: (0..<90).map { _ in random.poisson(200) })
            if estimate.meanInterval.contains(200) { covered += 1 }
            if estimate.overdispersed || estimate.constantArrivals { overdispersed += 1 }
        }
        // 95% intervals: at least 180 of 200 (P(< 180 | 95%) ≈ 0.3%); flagged at α = 0.01: at most 8 of 200.
        #expect(covered >= 180, "mean interval covered 200 in \(covered) of 200 series")
        #expect(overdispersed <= 8, "\(overdispersed) Poisson series flagged")
        let constant = TrafficEstimate(counts: Array(repeating: 150, count: 60))
        #expect(constant.constantArrivals)
        let mixed = TrafficEstimate(counts: (0..<90).map { _ in random.poisson(random.bernoulli(0.5) ? 100 : 300) })
        #expect(mixed.overdispersed)
    }

    /// Truncated lognormal samples: the MLE's 95% intervals of the median and σ cover the truth at the nominal
    /// rate (pooled over 2 × 100 fits: at least 180 of 200 cover), AIC prefers the lognormal; truncated
    /// exponential samples are fitted as exponential with the median covered.
    @Test func timeToFirstWinFits() throws {
        let random = RandomStream(seed: 11)
        let upper = 10080.0
        var covered = 0
        var lognormalChosen = 0
        for _ in 0..<100 {
            let times = (0..<400).map { _ in
                let t = Distributions.truncatedLognormalQuantile(
                    median: 2000, sigma: 1.4, upper: upper, u: random.uniform())
                return min(max(1, Int(t.rounded(.up))), Int(upper))
            }
            let fit = try #require(try TimeToWinFit.fit(minutes: times))
            if fit.family == .lognormal { lognormalChosen += 1 }
            if fit.medianInterval.contains(2000) { covered += 1 }
            // Not covering by being wide: 400 times, 12% of the law truncated away, pin the median within a factor 1.4.
            #expect(fit.medianInterval.upper / fit.medianInterval.lower < 2, "\(fit.medianInterval)")
            if fit.sigmaInterval?.contains(1.4) ?? false { covered += 1 }
        }
        #expect(covered >= 180, "lognormal intervals covered the truth \(covered) of 200 times")
        #expect(lognormalChosen >= 95, "AIC chose the lognormal \(lognormalChosen) of 100 times")
        var exponentialChosen = 0
        var medianCovered = 0
        for _ in 0..<100 {
            let mean = 3000 / M_LN2
            let mass = 1 - exp(-upper / mean)
            let times = (0..<400).map { _ in
                min(max(1, Int((-mean * log1p(-random.uniform() * mass)).rounded(.up))), Int(upper))
            }
            let fit = try #require(try TimeToWinFit.fit(minutes: times))
            if fit.family == .exponential { exponentialChosen += 1 }
            if fit.medianInterval.contains(3000) { medianCovered += 1 }
        }
        // The lognormal has one more parameter: AIC keeps the exponential unless it gains ≥ 1 in log-likelihood.
        #expect(exponentialChosen >= 70, "AIC chose the exponential \(exponentialChosen) of 100 times")
        #expect(medianCovered >= 88, "the exponential median was covered \(medianCovered) of 100 times")
        #expect(try TimeToWinFit.fit(minutes: [120]) == nil)
    }

    @Test func proportionAndNames() {
        let p = Proportion(successes: 30, trials: 100)
        #expect(p.point == 0.3)
        #expect(p.interval.lower < 0.3 && p.interval.upper > 0.3)
        #expect(p.comment.contains("30/100"))
        #expect(!Proportion(successes: 0, trials: 0).isEstimated)
        #expect(CalibratedScenario.name(forOutput: "out/Prod Scenario.yaml") == "prod-scenario")
        #expect(CalibratedScenario.name(forOutput: "___.yaml") == "calibrated")
        #expect(Format.fixed(0.25, 4) == "0.25")
        #expect(Format.fixed(3, 4) == "3.0")
    }
}
