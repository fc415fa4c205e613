import OnboardingEngine
import OnboardingPersistence
import Stochastics

/// Reads an engine database (read-only: ``SQLiteStore`` refuses a non-engine file or a newer schema, as
/// `inspect` does) and estimates a scenario from it.
public enum Calibrator {
    static let day = Clock.minutesPerDay

    /// Opens `path` read-only and calibrates. Throws ``PersistenceError`` for a refused database and
    /// ``CalibrationError`` when its contents cannot make a scenario (no signups in the period, no configured
    /// persona with users, no user old enough for 7-day activation).
    public static func calibrate(path: String, options: CalibrationOptions = CalibrationOptions()) throws
        -> CalibratedScenario
    {
        guard options.minSample >= 1 else {
            throw CalibrationError(path: path, reason: "--min-sample must be at least 1, found \(options.minSample)")
        }
        let store = try SQLiteStore(path: path, mode: .readOnly)
        defer { try? store.close() }
        let extent = try store.calibrationExtent()
        guard let firstSignup = extent.firstSignup, let latest = extent.asOf else {
            throw CalibrationError(path: path, reason: "the database has no assignments (nobody signed up yet)")
        }
        let since = floorDay(options.since ?? firstSignup)
        let until = min(floorDay(options.until ?? latest), floorDay(latest))
        guard until > since else {
            throw CalibrationError(
                path: path,
                reason:
                    "the period \(Format.iso(minute: since)) … \(Format.iso(minute: until)) holds no complete day of signups"
            )
        }
        let users = try store.calibrationUsers(from: since, to: until)
        guard !users.isEmpty else {
            throw CalibrationError(
                path: path,
                reason: "no signups between \(Format.iso(minute: since)) and \(Format.iso(minute: until))")
        }
        var gaps: [String] = []
        var notes: [String] = []
        let days = (until - since) / day
        var counts = Array(repeating: 0, count: days)
        for user in users { counts[(user.assignedAt - since) / day] += 1 }
        let traffic = TrafficEstimate(counts: counts)
        if traffic.weeklyP == nil { gaps.append("weekly pattern: not tested (fewer than 14 days)") }
        if traffic.dispersion == nil { gaps.append("dispersion of daily signups: not tested (fewer than 8 days)") }
        if traffic.overdispersed, let phi = traffic.dispersion {
            notes.append(
                "daily signups are overdispersed (φ = \(Format.fixed(phi, 2))): Poisson arrivals understate their variability"
            )
        }
        if traffic.trendIsSignificant, let slope = traffic.trendSlope, let p = traffic.trendP {
            notes.append(
                "trend: \(Format.fixed(slope, 3)) signups/day per day (p \(Format.pValue(p))); the scenario uses the period's mean"
            )
        }

        let configs = try store.personaConfigs()
        let patterns = try store.patterns(persona: nil)
        let mature7 = latest - 7 * day
        let mature30 = latest - 30 * day
        let byPersona = Dictionary(grouping: users, by: \.persona)
        for persona in byPersona.keys.sorted() where !configs.contains(where: { $0.persona == persona }) {
            gaps.append(
                "persona \(persona): \(byPersona[persona]?.count ?? 0) users but no configuration in engine_settings (activation event unknown); left out"
            )
        }
        var personas: [CalibratedPersona] = []
        for config in configs {
            guard let personaUsers = byPersona[config.persona], !personaUsers.isEmpty else {
                gaps.append("persona \(config.persona): configured but no signups in the period; left out")
                continue
            }
            let calibrated = persona(
                config, users: personaUsers, total: users.count, patterns: patterns,
                maturity: (mature7, mature30), since: since, days: days, minSample: options.minSample,
                gaps: &gaps)
            guard !calibrated.v3Default.isEmpty else {
                gaps.append("persona \(config.persona): its configuration has no v3 default flow; left out")
                continue
            }
            personas.append(calibrated)
        }
        guard !personas.isEmpty else {
            throw CalibrationError(path: path, reason: "no configured persona has signups in the period")
        }
        guard personas.contains(where: { $0.flows.contains { $0.activation.isEstimated } }) else {
            throw CalibrationError(
                path: path,
                reason:
                    "no user is older than 7 days at \(Format.iso(minute: latest)) (the latest record): 7-day activation cannot be estimated"
            )
        }
        return CalibratedScenario(
            source: path, since: since, until: until, asOf: latest, minSample: options.minSample,
            users: users.count, traffic: traffic, personas: personas, settings: try store.loadSettings(),
            jobFailures: Proportion(successes: extent.failedJobs, trials: extent.jobs), gaps: gaps, notes: notes)
    }

    static func floorDay(_ minute: Minute) -> Minute {
        Int((Double(minute) / Double(day)).rounded(.down)) * day
    }

    /// One persona: its flows (every presented sequence with at least `minSample` users, and the v3 default's),
    /// their truths, the deviation and candidates.
    static func persona(
        _ config: PersonaConfig, users: [CalibrationUser], total: Int, patterns: [FlowPattern],
        maturity: (seven: Minute, thirty: Minute), since: Minute, days: Int, minSample: Int, gaps: inout [String]
    ) -> CalibratedPersona {
        let p = config.persona
        var presented: [[String]: [CalibrationUser]] = [:]
        for user in users { presented[user.presentedSteps, default: []].append(user) }
        let defaults = config.v3Default.map(\.steps)
        // Deviation: rewritten users' targets and the assigned flows they came from.
        let rewritten = users.filter { $0.rewritten && $0.presentedSteps != $0.assignedSteps }
        var targetUsers: [[String]: Int] = [:]
        for user in rewritten { targetUsers[user.presentedSteps, default: 0] += 1 }
        // Kept: enough users, or named by the v3 default.
        let order = presented.keys.sorted { a, b in
            let ia = defaults.firstIndex(of: a) ?? Int.max
            let ib = defaults.firstIndex(of: b) ?? Int.max
            if ia != ib { return ia < ib }
            let na = presented[a]?.count ?? 0
            let nb = presented[b]?.count ?? 0
            if na != nb { return na > nb }
            return a.lexicographicallyPrecedes(b)
        }
        var kept: [[String]] = []
        var small: [(steps: [String], users: Int)] = []
        for steps in order {
            let n = presented[steps]?.count ?? 0
            if n >= minSample || defaults.contains(steps) {
                kept.append(steps)
                if n < minSample {
                    gaps.append(
                        "persona \(p): v3 default flow [\(steps.joined(separator: " > "))] has only \(n) users (< --min-sample \(minSample)); kept because the v3 default names it"
                    )
                }
            } else {
                small.append((steps, n))
                gaps.append(
                    "persona \(p): flow [\(steps.joined(separator: " > "))] has \(n) users (< --min-sample \(minSample)); left out"
                )
            }
        }
        for steps in defaults where presented[steps] == nil {
            kept.append(steps)
            gaps.append(
                "persona \(p): v3 default flow [\(steps.joined(separator: " > "))] was presented to nobody; its truth is not estimated (prior means)"
            )
        }
        var ids: [[String]: String] = [:]
        var used: Set<String> = []
        for steps in kept {
            var id = steps.joined(separator: "-")
            var k = 2
            while used.contains(id) {
                id = steps.joined(separator: "-") + "-\(k)"
                k += 1
            }
            used.insert(id)
            ids[steps] = id
        }
        let targets = kept.filter { targetUsers[$0] != nil && !defaults.contains($0) }
        for (steps, n) in targetUsers.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) })
        where !kept.contains(steps) {
            gaps.append(
                "persona \(p): deviation target [\(steps.joined(separator: " > "))] (\(n) rewritten users) is below --min-sample; left out of the deviation"
            )
        }
        var deviation: CalibratedDeviation?
        if !targets.isEmpty {
            let sources = Set(rewritten.filter { targets.contains($0.presentedSteps) }.map(\.assignedSteps))
            let from = kept.filter { sources.contains($0) && !targets.contains($0) }
            let assignedFrom = users.filter { from.contains($0.assignedSteps) }
            let deviated = assignedFrom.filter { $0.rewritten && targets.contains($0.presentedSteps) }.count
            if !from.isEmpty {
                deviation = CalibratedDeviation(
                    rate: Proportion(successes: deviated, trials: assignedFrom.count),
                    from: from.compactMap { ids[$0] },
                    to: targets.compactMap { steps in ids[steps].map { ($0, targetUsers[steps] ?? 0) } })
            } else {
                gaps.append("persona \(p): rewritten users came from flows that were left out; no deviation written")
            }
        }
        let patternDays = Dictionary(
            patterns.filter { $0.persona == p }.map { ($0.steps, $0.createdAt) }, uniquingKeysWith: min)
        var flows: [CalibratedFlow] = []
        for steps in kept {
            guard let id = ids[steps] else { continue }
            let flowUsers = presented[steps] ?? []
            let m7 = flowUsers.filter { $0.assignedAt < maturity.seven }
            let m30 = flowUsers.filter { $0.assignedAt < maturity.thirty }
            let activated30 = m30.filter(\.activated7d)
            let notActivated30 = m30.filter { !$0.activated7d }
            var conditional: (Proportion, Proportion)?
            if activated30.count >= minSample && notActivated30.count >= minSample {
                conditional = (
                    Proportion(successes: activated30.filter(\.retained30d).count, trials: activated30.count),
                    Proportion(successes: notActivated30.filter(\.retained30d).count, trials: notActivated30.count)
                )
            }
            let times = m7.filter(\.activated7d).compactMap(\.timeToFirstWinMinutes).filter {
                $0 >= 0 && $0 <= 7 * day
            }
            let label = "persona \(p), flow \(id)"
            var fit: TimeToWinFit?
            do { fit = try TimeToWinFit.fit(minutes: times) } catch {
                gaps.append("\(label): the time-to-first-win fit failed (\(error))")
            }
            if m7.isEmpty { gaps.append("\(label): no user older than 7 days; activation not estimated") }
            if m30.isEmpty {
                gaps.append("\(label): no user older than 30 days (immature); retention and upgrade not estimated")
            }
            if fit == nil && !m7.isEmpty && times.count < 2 {
                gaps.append(
                    "\(label): \(times.count) activation time(s) within 7 days; time to first win not estimated (default lognormal, median 90, sigma 0.8)"
                )
            }
            let isCandidate = !defaults.contains(steps) && !targets.contains(steps)
            var introduced = 0
            if isCandidate {
                let first = patternDays[steps] ?? flowUsers.map(\.assignedAt).min() ?? since
                introduced = min(max(0, (first - since) / day), max(0, days - 1))
            }
            flows.append(
                CalibratedFlow(
                    id: id, steps: steps, users: flowUsers.count, candidate: isCandidate, introducedDay: introduced,
                    activation: Proportion(successes: m7.filter(\.activated7d).count, trials: m7.count),
                    retention: Proportion(successes: m30.filter(\.retained30d).count, trials: m30.count),
                    conditionalRetention: conditional,
                    upgrade: Proportion(successes: m30.filter(\.upgraded).count, trials: m30.count),
                    timeToWin: fit))
        }
        let splits = config.v3Default.compactMap { option in
            ids[option.steps].map { CalibratedSplit(flow: $0, variant: option.variant, weight: option.weight) }
        }
        return CalibratedPersona(
            id: p, share: Proportion(successes: users.count, trials: total), activationEvent: config.activationEvent,
            v3Default: splits, flows: flows, deviation: deviation, smallFlows: small)
    }
}
