import OnboardingEngine

/// The per-replicate summary (per persona and ALL) computed from a finished replicate's daily records and cohort
/// tallies: users, regret, the outcome rates of the cohorts old enough to have them (7-day activation up to
/// horizon − 8, retention and upgrade up to horizon − 31, or, with outcome delays, up to horizon − 1 − the latest
/// day the persona's delay can record them), the champion's correctness and when it became correct
/// for good, champion changes, rollbacks, failed jobs and patterns.
struct ReplicateEvaluation {
    let world: World
    let cohorts: CohortTally

    /// The days after signup by which every user's outcome is recorded: 30 without a delay, else the latest day
    /// the delay of any of the persona's flows reaches.
    func observedBy(_ delay: KeyPath<FlowTruth, OutcomeDelay?>, _ persona: PersonaModel) -> Int {
        persona.flows.map { flow in
            flow.truth[keyPath: delay].map { ($0.latestMinutes + Clock.minutesPerDay - 1) / Clock.minutesPerDay } ?? 30
        }.max() ?? 30
    }

    func summaries(daily: [DailyRecord], championChanges: [Int], failedJobs: Int) -> [ReplicateSummary] {
        let horizon = world.horizonDays
        func rate(_ numerators: [Int], _ denominators: [Int], lastDay: Int) -> (Int, Int) {
            guard lastDay >= 0 else { return (0, 0) }
            let upTo = min(lastDay, horizon - 1)
            guard upTo >= 0 else { return (0, 0) }
            return (numerators[0...upTo].reduce(0, +), denominators[0...upTo].reduce(0, +))
        }
        var summaries: [ReplicateSummary] = []
        var totals = (
            users: 0, regret: 0.0, activationRegret: 0.0, act: (0, 0), ret: (0, 0), up: (0, 0), changes: 0,
            rollbacks: 0, patterns: 0, misclassified: 0, misclassifiedRegret: 0.0
        )
        var allFirstCorrect: Int? = 0
        for (p, persona) in world.personas.enumerated() {
            let rows = daily.filter { $0.persona == persona.id }
            let signups = cohorts.series(p, \.signups)
            let usersCount = signups.reduce(0, +)
            let act = rate(cohorts.series(p, \.activated), signups, lastDay: horizon - 8)
            let ret = rate(
                cohorts.series(p, \.retained), signups, lastDay: horizon - 1 - observedBy(\.retentionDelay, persona))
            let up = rate(
                cohorts.series(p, \.upgraded), signups, lastDay: horizon - 1 - observedBy(\.upgradeDelay, persona))
            // Summed in day order, as the day loop accumulates them: the same floating-point values.
            let cumulative = rows.reduce(0.0) { $0 + $1.regret }
            let cumulativeActivation = rows.reduce(0.0) { $0 + $1.activationRegret }
            let rollbacks = rows.reduce(0) { $0 + $1.rollbacks }
            var firstCorrect: Int?
            for row in rows.reversed() {
                guard row.championCorrect else { break }
                firstCorrect = row.day
            }
            if let f = firstCorrect, let a = allFirstCorrect {
                allFirstCorrect = max(a, f)
            } else {
                allFirstCorrect = nil
            }
            let last = rows.last
            var summary =
                ReplicateSummary(
                    persona: persona.id, users: usersCount, cumulativeRegret: cumulative,
                    regretPerUser: usersCount > 0 ? cumulative / Double(usersCount) : 0,
                    activationRate: act.1 > 0 ? Double(act.0) / Double(act.1) : nil,
                    retentionRate: ret.1 > 0 ? Double(ret.0) / Double(ret.1) : nil,
                    upgradeRate: up.1 > 0 ? Double(up.0) / Double(up.1) : nil,
                    finalChampionCorrect: last?.championCorrect ?? false, firstCorrectDay: firstCorrect,
                    championChanges: championChanges[p], rollbacks: rollbacks, failedJobs: failedJobs,
                    patterns: last?.patterns ?? 0, cumulativeActivationRegret: cumulativeActivation)
            if world.inference != nil {
                summary.misclassifiedUsers = rows.reduce(0) { $0 + ($1.misclassified ?? 0) }
                summary.misclassifiedRegret = rows.reduce(0.0) { $0 + ($1.misclassifiedRegret ?? 0) }
                totals.misclassified += summary.misclassifiedUsers ?? 0
                totals.misclassifiedRegret += summary.misclassifiedRegret ?? 0
            }
            summaries.append(summary)
            totals.users += usersCount
            totals.regret += cumulative
            totals.activationRegret += cumulativeActivation
            totals.act = (totals.act.0 + act.0, totals.act.1 + act.1)
            totals.ret = (totals.ret.0 + ret.0, totals.ret.1 + ret.1)
            totals.up = (totals.up.0 + up.0, totals.up.1 + up.1)
            totals.changes += championChanges[p]
            totals.rollbacks += rollbacks
            totals.patterns += last?.patterns ?? 0
        }
        var all =
            ReplicateSummary(
                persona: "ALL", users: totals.users, cumulativeRegret: totals.regret,
                regretPerUser: totals.users > 0 ? totals.regret / Double(totals.users) : 0,
                activationRate: totals.act.1 > 0 ? Double(totals.act.0) / Double(totals.act.1) : nil,
                retentionRate: totals.ret.1 > 0 ? Double(totals.ret.0) / Double(totals.ret.1) : nil,
                upgradeRate: totals.up.1 > 0 ? Double(totals.up.0) / Double(totals.up.1) : nil,
                finalChampionCorrect: nil, firstCorrectDay: allFirstCorrect, championChanges: totals.changes,
                rollbacks: totals.rollbacks, failedJobs: failedJobs, patterns: totals.patterns,
                cumulativeActivationRegret: totals.activationRegret)
        if world.inference != nil {
            all.misclassifiedUsers = totals.misclassified
            all.misclassifiedRegret = totals.misclassifiedRegret
        }
        summaries.append(all)
        return summaries
    }
}
