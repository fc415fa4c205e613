import OnboardingEngine
import Stochastics

extension CalibratedScenario {
    /// The scenario file: a header comment (source, period, tests, gaps), then the scenario with every estimate's
    /// 95% interval and sample beside it. With `draw` (a generator), the truths, persona shares and deviation
    /// rates are one draw from their posteriors instead of the point estimates (the comments keep the estimates').
    public func yaml(name: String, seed: UInt64, replicates: Int = 20, draw random: RandomStream? = nil) -> String {
        var lines: [String] = []
        func comment(_ text: String) { lines.append("# " + text) }
        comment("Calibrated by `onboarding-lab calibrate` from the engine database \(source)")
        comment(
            "period: signups \(Format.iso(minute: since)) … \(Format.iso(minute: until)) (\(days) days, \(users) users); data as of \(Format.iso(minute: asOf))"
        )
        comment(
            "maturity: 7-day activation from users older than 7 days, 30-day retention and upgrade from users older than 30 days at \(Format.iso(minute: asOf))"
        )
        comment("intervals: 95% Wilson (proportions), 95% Wald on the log scale (time-to-first-win fits, traffic mean)")
        comment("day 0 of the scenario is the period's first day (weekly multipliers are indexed from it)")
        if random != nil {
            comment(
                "DRAW: truths, persona shares and deviation rates are one draw from their posteriors (see comments)")
        }
        for note in notes { comment("note: " + note) }
        if gaps.isEmpty {
            comment("not estimated: nothing")
        } else {
            comment("not estimated or left out:")
            for gap in gaps { comment("  - " + gap) }
        }
        lines.append("name: \(Format.quoted(name))")
        lines.append(
            "description: \(Format.quoted("Calibrated from \(source), signups \(Format.iso(minute: since)) to \(Format.iso(minute: until))."))"
        )
        lines.append("seed: \(seed)")
        lines.append("horizon_days: \(max(days, 1))")
        lines.append("replicates: \(replicates)")
        lines.append(contentsOf: trafficLines())
        lines.append("personas:")
        for persona in personas { lines.append(contentsOf: personaLines(persona, random: random)) }
        lines.append(contentsOf: settingsLines())
        return lines.joined(separator: "\n") + "\n"
    }

    private func trafficLines() -> [String] {
        var lines = ["traffic:"]
        let t = traffic
        lines.append(
            "  signups_per_day: \(Format.fixed(t.mean, 3))   # 95% [\(Format.fixed(t.meanInterval.lower, 2)), \(Format.fixed(t.meanInterval.upper, 2))], \(t.days) days"
        )
        var arrivals = "poisson"
        var why = "dispersion not tested"
        if let phi = t.dispersion, let p = t.dispersionP {
            why = "dispersion φ = \(Format.fixed(phi, 3)), p \(Format.pValue(p)) (χ² vs Poisson)"
            if t.constantArrivals { arrivals = "constant" }
            if t.overdispersed { why += "; overdispersed, Poisson is the closest the format has" }
        }
        lines.append("  arrivals: \(arrivals)   # \(why)")
        if let weekly = t.weekly, let p = t.weeklyP, let statistic = t.weeklyStatistic {
            lines.append(
                "  weekly: [\(weekly.map { Format.fixed($0, 4) }.joined(separator: ", "))]   # χ²(6) = \(Format.fixed(statistic, 2)), p \(Format.pValue(p)); index 0 = the period's first day"
            )
        } else if let p = t.weeklyP, let statistic = t.weeklyStatistic {
            lines.append(
                "  # no weekly pattern: χ²(6) = \(Format.fixed(statistic, 2)), p \(Format.pValue(p)) ≥ \(TrafficEstimate.alpha)"
            )
        }
        if let slope = t.trendSlope, let p = t.trendP {
            lines.append("  # trend: \(Format.fixed(slope, 4)) signups/day per day, p \(Format.pValue(p))")
        }
        return lines
    }

    private func personaLines(_ persona: CalibratedPersona, random: RandomStream?) -> [String] {
        var lines: [String] = []
        let share = random.map { persona.share.draw($0) } ?? persona.share.point
        lines.append("  - id: \(Format.quoted(persona.id))")
        lines.append("    share: \(Format.fixed(share, 4))   # \(persona.share.comment) signups")
        lines.append("    activation_event: \(Format.quoted(persona.activationEvent))")
        lines.append("    v3_default:")
        for split in persona.v3Default {
            lines.append(
                "      - {flow: \(Format.quoted(split.flow)), variant: \(Format.quoted(split.variant)), weight: \(Format.fixed(split.weight, 6))}"
            )
        }
        lines.append("    flows:")
        for flow in persona.flows {
            let truth = random.map { flow.drawTruth($0) } ?? flow.pointTruth
            lines.append("      - id: \(Format.quoted(flow.id))   # \(flow.users) users presented")
            lines.append("        steps: [\(flow.steps.map(Format.quoted).joined(separator: ", "))]")
            if flow.candidate {
                lines.append("        candidate: true")
                lines.append("        introduced_day: \(flow.introducedDay)")
            }
            lines.append("        truth:")
            lines.append(
                "          activation_7d: \(Format.fixed(truth.activation, 4))   # \(flow.activation.comment) mature users"
            )
            if let conditional = truth.conditionalRetention, let estimate = flow.conditionalRetention {
                lines.append("          retention_30d:")
                lines.append(
                    "            if_activated: \(Format.fixed(conditional.ifActivated, 4))   # \(estimate.ifActivated.comment)"
                )
                lines.append(
                    "            if_not: \(Format.fixed(conditional.ifNot, 4))   # \(estimate.ifNot.comment)")
            } else {
                lines.append(
                    "          retention_30d: \(Format.fixed(truth.retention, 4))   # \(flow.retention.comment) mature users"
                )
            }
            lines.append(
                "          upgrade: \(Format.fixed(truth.upgrade, 4))   # \(flow.upgrade.comment) mature users")
            if let time = truth.timeToWin, let fit = flow.timeToWin {
                var text = "{distribution: \(time.family.rawValue), median_minutes: \(Format.fixed(time.median, 2))"
                if time.family == .lognormal { text += ", sigma: \(Format.fixed(time.sigma, 4))" }
                text += "}"
                var why =
                    "median 95% [\(Format.fixed(fit.medianInterval.lower, 1)), \(Format.fixed(fit.medianInterval.upper, 1))]"
                if let sigma = fit.sigmaInterval {
                    why += ", sigma 95% [\(Format.fixed(sigma.lower, 3)), \(Format.fixed(sigma.upper, 3))]"
                }
                why +=
                    ", \(fit.sample) activation times, truncated MLE at 7 days; AIC exponential \(Format.fixed(fit.aicExponential, 1))"
                if let aic = fit.aicLognormal { why += ", lognormal \(Format.fixed(aic, 1))" }
                lines.append("          time_to_first_win: \(text)   # \(why)")
            } else {
                lines.append(
                    "          time_to_first_win: {distribution: lognormal, median_minutes: 90.0, sigma: 0.8}   # not estimated: fewer than 2 activation times (defaults)"
                )
            }
        }
        if !persona.smallFlows.isEmpty {
            lines.append("    # left out (< --min-sample \(minSample) users):")
            for small in persona.smallFlows {
                lines.append("    #   [\(small.steps.joined(separator: " > "))]: \(small.users) users")
            }
        }
        if let deviation = persona.deviation {
            let rate = random.map { deviation.rate.draw($0) } ?? deviation.rate.point
            lines.append("    deviation:")
            lines.append(
                "      rate: \(Format.fixed(rate, 5))   # \(deviation.rate.comment) users assigned a 'from' flow were rewritten (v3_step_order_rewritten)"
            )
            lines.append("      from: [\(deviation.from.map(Format.quoted).joined(separator: ", "))]")
            lines.append("      to:")
            for target in deviation.to {
                lines.append(
                    "        - {flow: \(Format.quoted(target.flow)), weight: \(target.users)}   # rewritten users presented it"
                )
            }
        }
        return lines
    }

    private func settingsLines() -> [String] {
        let s = settings
        let w = s.weights
        let e = s.explorationPriority
        return [
            "engine:   # as stored in engine_settings",
            "  policy: \(Format.quoted(s.policy.rawValue))",
            "  epsilon: \(Format.fixed(s.epsilon, 6))",
            "  min_champion_sample: \(s.minChampionSample)",
            "  window_days: \(s.windowDays)",
            "  count_immature: \(s.countImmature)",
            "  weights: {activation_7d: \(Format.fixed(w.activation7d, 6)), retention_30d: \(Format.fixed(w.retention30d, 6)), speed: \(Format.fixed(w.speed, 6))}",
            "  speed_horizon_minutes: \(Format.fixed(s.speedHorizonMinutes, 6))",
            "  exploration_priority: {below_10: \(Format.fixed(e.below10, 6)), below_30: \(Format.fixed(e.below30, 6)), otherwise: \(Format.fixed(e.otherwise, 6)), thresholds: {low: \(e.lowThreshold), high: \(e.highThreshold)}}",
            "  stale_patterns: \(Format.quoted(s.stalePatterns.rawValue))",
            "  job_failure_rate: \(Format.fixed(jobFailures.point == 0.5 && !jobFailures.isEstimated ? 0 : jobFailures.point, 5))   # failed learning jobs: \(jobFailures.isEstimated ? jobFailures.comment : "no jobs recorded")",
            "  holdback: \(Format.fixed(s.holdback, 6))",
            "governance:   # as stored in engine_settings",
            "  max_epsilon: \(Format.fixed(s.laws.maxEpsilon, 6))",
            "  min_champion_sample: \(s.laws.minChampionSample)",
            "  max_win_score_degradation: \(Format.fixed(s.laws.maxWinScoreDegradation, 6))",
        ]
    }
}
