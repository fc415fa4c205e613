import OnboardingEngine
import Stochastics

/// What one replicate needs: the world, the engine settings, fault injection and the master seed.
public struct SimulationConfig: Sendable {
    public var world: World
    public var settings: EngineSettings
    /// Share of nights whose learning job is made to fail (drawn from the `faults` stream).
    public var jobFailureRate: Double
    public var seed: UInt64

    public init(world: World, settings: EngineSettings, jobFailureRate: Double = 0, seed: UInt64) {
        self.world = world
        self.settings = settings
        self.jobFailureRate = jobFailureRate
        self.seed = seed
    }
}

public enum SimulationError: Error, Equatable, CustomStringConvertible {
    case undeclaredFlow(persona: String, flowId: String)

    public var description: String {
        switch self {
        case .undeclaredFlow(let persona, let flowId):
            return
                "the engine presented \(flowId) to a \(persona) user, but the scenario declares no flow with those steps (no truth to simulate)"
        }
    }
}

/// Runs the day loop of SPEC §2.3 for one replicate, driving the engine only through its public operations.
///
/// Per day: register candidates introduced that day; draw arrivals; for each user in time order `initForUser`,
/// apply the v3 deviation (a `v3_step_order_rewritten` event), and schedule the step events, the activation
/// event (at the drawn time, within 7 days), the retention outcome (day 30) and the upgrade (day 30); deliver
/// every event due that day in time order; run the nightly job at the day's end (failing it when fault
/// injection says so); record the day's metrics. With a SQLite store every simulated day is one transaction.
///
/// Outcomes are decided at signup from the user's latent uniforms and the truth in force on the signup day.
/// A user who does not activate completes the first half of the flow's steps (10, 20, … minutes after signup);
/// one who activates completes the steps before the activation event, evenly spaced before the win.
public final class ReplicateRunner {
    public let config: SimulationConfig
    public let replicate: Int
    public let engine: V4Engine
    public var recordUsers = false

    private let oracle: Oracle
    private let flowIndex: [String: (persona: Int, flow: Int)]

    public init(config: SimulationConfig, replicate: Int, store: any EngineStore) throws {
        self.config = config
        self.replicate = replicate
        let policy = RandomStream(master: config.seed, replicate: replicate, stream: .policy)
        self.engine = try V4Engine(store: store, random: policy)
        self.oracle = Oracle(world: config.world)
        var index: [String: (Int, Int)] = [:]
        for (p, persona) in config.world.personas.enumerated() {
            for (f, flow) in persona.flows.enumerated() {
                index[FlowID.make(persona: persona.id, steps: flow.steps)] = (p, f)
            }
        }
        self.flowIndex = index
    }

    private enum EventKind {
        case step(String)
        case activation
        case retained
        case upgraded
    }

    /// An event due later; it carries the user id and persona itself, so nothing per user outlives its events.
    private struct Pending {
        var minute: Minute
        var seq: Int
        var userId: String
        var persona: Int32
        var kind: EventKind
    }

    /// Runs the whole horizon. `progress` is called after each day with the number of days done.
    public func run(progress: ((Int) -> Void)? = nil) throws -> ReplicateResult {
        let world = config.world
        let horizon = world.horizonDays
        let store = engine.store
        try engine.updateSettings(config.settings, at: 0)
        for p in world.personas { try engine.configurePersona(p.engineConfig) }
        let users = UserGenerator(world: world, seed: config.seed, replicate: replicate)
        let faults = RandomStream(master: config.seed, replicate: replicate, stream: .faults)

        var buckets = [[Pending]](repeating: [], count: horizon)
        var seq = 0
        var daily: [DailyRecord] = []
        daily.reserveCapacity(horizon * world.personas.count)
        var recorded: [SyntheticUser] = []
        var timeline: [(day: Int, persona: String, flow: String)] = []
        // Per persona, per signup day: signups and 7-day activations (for activation_rate).
        var activatedByDay = [[Int]](repeating: [Int](repeating: 0, count: horizon), count: world.personas.count)
        var signupsByDay = [[Int]](repeating: [Int](repeating: 0, count: horizon), count: world.personas.count)
        var retainedByDay = activatedByDay
        var upgradedByDay = activatedByDay
        var cumulative = [Double](repeating: 0, count: world.personas.count)
        var cumulativeActivation = cumulative
        var championChanges = [Int](repeating: 0, count: world.personas.count)
        var rollbacks = championChanges
        var failedJobs = 0

        func schedule(_ minute: Minute, _ userId: String, _ persona: Int, _ kind: EventKind) {
            let day = Clock.day(of: minute)
            guard day < horizon else { return }
            buckets[day].append(Pending(minute: minute, seq: seq, userId: userId, persona: Int32(persona), kind: kind))
            seq += 1
        }

        for day in 0..<horizon {
            let truths = world.personas.indices.map { oracle.day(persona: $0, day: day) }
            let dayStart = day * Clock.minutesPerDay
            var signups = [Int](repeating: 0, count: world.personas.count)
            var modes = [[Int]](repeating: [0, 0, 0], count: world.personas.count)
            var regret = [Double](repeating: 0, count: world.personas.count)
            var activationRegret = regret
            var epsilonUsers = signups
            var epsilonExplore = signups
            let failTonight = config.jobFailureRate > 0 && faults.uniform() < config.jobFailureRate
            var report: NightlyReport?

            try store.batch {
                for persona in world.personas {
                    for flow in persona.flows where flow.candidate && flow.introducedDay == day {
                        let variant = persona.v3Default.first { persona.flows[$0.flow].steps == flow.steps }?.variant
                        try engine.registerCandidateFlow(
                            persona: persona.id, steps: flow.steps, variant: variant, at: dayStart)
                    }
                }
                let explorationApplies = try world.personas.map { try engine.explorationApplies(persona: $0.id) }
                for user in users.arrivals(day: day) {
                    if recordUsers { recorded.append(user) }
                    let p = user.persona
                    let persona = world.personas[p]
                    let userId = "u\(user.index)"
                    let assigned = try engine.initForUser(userId: userId, persona: persona.id, at: user.signupMinute)
                    guard var flow = flowIndex[assigned.flowId]?.flow else {
                        throw SimulationError.undeclaredFlow(persona: persona.id, flowId: assigned.flowId)
                    }
                    signups[p] += 1
                    switch assigned.mode {
                    case .explore: modes[p][0] += 1
                    case .exploit: modes[p][1] += 1
                    case .holdback: modes[p][2] += 1
                    }
                    if assigned.mode != .holdback && explorationApplies[p] {
                        epsilonUsers[p] += 1
                        if assigned.mode == .explore { epsilonExplore[p] += 1 }
                    }
                    if let deviation = persona.deviation, deviation.from.contains(flow),
                        user.uDeviation < deviation.rate,
                        let target = WeightedChoice.index(
                            deviation.to.map(\.weight), u: user.uDeviation / deviation.rate)
                    {
                        flow = deviation.to[target].flow
                        try engine.handleEvent(
                            userId: userId, eventType: stepOrderRewrittenEvent, at: user.signupMinute,
                            metadata: JSONValue.stringArray(persona.flows[flow].steps))
                    }
                    let truth = truths[p].truth[flow]
                    regret[p] += truths[p].regret[flow]
                    activationRegret[p] += truths[p].activationRegret[flow]
                    let activated = user.uActivation < truth.activation7d
                    let retained = user.uRetention < (activated ? truth.retentionIfActivated : truth.retentionIfNot)
                    let upgraded = user.uUpgrade < truth.upgrade
                    signupsByDay[p][day] += 1
                    if activated { activatedByDay[p][day] += 1 }
                    if retained { retainedByDay[p][day] += 1 }
                    if upgraded { upgradedByDay[p][day] += 1 }

                    let steps = persona.flows[flow].steps.filter { $0 != persona.activationEvent }
                    if activated {
                        let minutes = Oracle.timeToWin(truth.timeToFirstWin, u: user.uTime)
                        for (k, step) in steps.enumerated() {
                            schedule(user.signupMinute + minutes * (k + 1) / (steps.count + 1), userId, p, .step(step))
                        }
                        schedule(user.signupMinute + minutes, userId, p, .activation)
                    } else {
                        for (k, step) in steps.prefix(steps.count / 2).enumerated() {
                            schedule(user.signupMinute + 10 * (k + 1), userId, p, .step(step))
                        }
                    }
                    let thirtyDays = user.signupMinute + 30 * Clock.minutesPerDay
                    if retained { schedule(thirtyDays, userId, p, .retained) }
                    if upgraded { schedule(thirtyDays, userId, p, .upgraded) }
                }

                var due = buckets[day]
                buckets[day] = []
                due.sort { ($0.minute, $0.seq) < ($1.minute, $1.seq) }
                for event in due {
                    let userId = event.userId
                    switch event.kind {
                    case .step(let step): try engine.handleEvent(userId: userId, eventType: step, at: event.minute)
                    case .activation:
                        let persona = world.personas[Int(event.persona)]
                        try engine.handleEvent(userId: userId, eventType: persona.activationEvent, at: event.minute)
                    case .retained: try engine.recordOutcome(userId: userId, outcome: .retained30d, at: event.minute)
                    case .upgraded: try engine.recordOutcome(userId: userId, outcome: .upgraded, at: event.minute)
                    }
                }

                engine.faultInjector =
                    failTonight
                    ? { stage in
                        if stage == .afterUpsert {
                            throw EngineError.injectedFault("fault injection (job_failure_rate) on day \(day)")
                        }
                    } : nil
                report = try engine.runNightlyLearningJob(now: dayStart + Clock.minutesPerDay)
                engine.faultInjector = nil
            }

            let failed = report?.job.status == .failed
            if failed { failedJobs += 1 }
            let patterns = try engine.getAllFlowPatterns()
            for (p, persona) in world.personas.enumerated() {
                let champion = patterns.first { $0.persona == persona.id && $0.isChampion }
                let championLocal =
                    champion.map { flowIndex[$0.flowId].map { persona.flows[$0.flow].id } ?? $0.flowId } ?? ""
                let bestLocal = truths[p].best >= 0 ? persona.flows[truths[p].best].id : ""
                // Correct when the champion's true score is the best's: with a tie (an A/A world) any tied flow is a
                // true best, so it is the score, not the flow id, that decides.
                let championCorrect =
                    champion.flatMap { flowIndex[$0.flowId]?.flow }.map { truths[p].regret[$0] <= 0 } ?? false
                let changes = report?.election.changes.filter { $0.persona == persona.id }.count ?? 0
                let dayRollbacks = report?.election.rollbacks.filter { $0.persona == persona.id }.count ?? 0
                championChanges[p] += changes
                rollbacks[p] += dayRollbacks
                if changes > 0 { timeline.append((day, persona.id, championLocal)) }
                cumulative[p] += regret[p]
                cumulativeActivation[p] += activationRegret[p]
                let known = day + 7 <= horizon - 1 && signups[p] > 0
                daily.append(
                    DailyRecord(
                        day: day, persona: persona.id, signups: signups[p], explore: modes[p][0], exploit: modes[p][1],
                        holdback: modes[p][2], championFlow: championLocal, trueBestFlow: bestLocal,
                        championCorrect: championCorrect,
                        activationRate: known ? Double(activatedByDay[p][day]) / Double(signups[p]) : nil,
                        regret: regret[p], cumulativeRegret: cumulative[p], activationRegret: activationRegret[p],
                        patterns: patterns.filter { $0.persona == persona.id }.count, rollbacks: dayRollbacks,
                        jobFailed: failed,
                        epsilonUsers: epsilonUsers[p], epsilonExplore: epsilonExplore[p],
                        effectiveEpsilon: config.settings.effectiveEpsilon))
            }
            progress?(day + 1)
        }

        // Summaries per persona and ALL.
        var summaries: [ReplicateSummary] = []
        func rate(_ numerators: [Int], _ denominators: [Int], lastDay: Int) -> (Int, Int) {
            guard lastDay >= 0 else { return (0, 0) }
            let upTo = min(lastDay, horizon - 1)
            guard upTo >= 0 else { return (0, 0) }
            return (numerators[0...upTo].reduce(0, +), denominators[0...upTo].reduce(0, +))
        }
        var totals = (
            users: 0, regret: 0.0, activationRegret: 0.0, act: (0, 0), ret: (0, 0), up: (0, 0), changes: 0,
            rollbacks: 0, patterns: 0
        )
        var allFirstCorrect: Int? = 0
        for (p, persona) in world.personas.enumerated() {
            let rows = daily.filter { $0.persona == persona.id }
            let usersCount = signupsByDay[p].reduce(0, +)
            let act = rate(activatedByDay[p], signupsByDay[p], lastDay: horizon - 8)
            let ret = rate(retainedByDay[p], signupsByDay[p], lastDay: horizon - 31)
            let up = rate(upgradedByDay[p], signupsByDay[p], lastDay: horizon - 31)
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
            summaries.append(
                ReplicateSummary(
                    persona: persona.id, users: usersCount, cumulativeRegret: cumulative[p],
                    regretPerUser: usersCount > 0 ? cumulative[p] / Double(usersCount) : 0,
                    activationRate: act.1 > 0 ? Double(act.0) / Double(act.1) : nil,
                    retentionRate: ret.1 > 0 ? Double(ret.0) / Double(ret.1) : nil,
                    upgradeRate: up.1 > 0 ? Double(up.0) / Double(up.1) : nil,
                    finalChampionCorrect: last?.championCorrect ?? false, firstCorrectDay: firstCorrect,
                    championChanges: championChanges[p], rollbacks: rollbacks[p], failedJobs: failedJobs,
                    patterns: last?.patterns ?? 0, cumulativeActivationRegret: cumulativeActivation[p]))
            totals.users += usersCount
            totals.regret += cumulative[p]
            totals.activationRegret += cumulativeActivation[p]
            totals.act = (totals.act.0 + act.0, totals.act.1 + act.1)
            totals.ret = (totals.ret.0 + ret.0, totals.ret.1 + ret.1)
            totals.up = (totals.up.0 + up.0, totals.up.1 + up.1)
            totals.changes += championChanges[p]
            totals.rollbacks += rollbacks[p]
            totals.patterns += last?.patterns ?? 0
        }
        summaries.append(
            ReplicateSummary(
                persona: "ALL", users: totals.users, cumulativeRegret: totals.regret,
                regretPerUser: totals.users > 0 ? totals.regret / Double(totals.users) : 0,
                activationRate: totals.act.1 > 0 ? Double(totals.act.0) / Double(totals.act.1) : nil,
                retentionRate: totals.ret.1 > 0 ? Double(totals.ret.0) / Double(totals.ret.1) : nil,
                upgradeRate: totals.up.1 > 0 ? Double(totals.up.0) / Double(totals.up.1) : nil,
                finalChampionCorrect: nil, firstCorrectDay: allFirstCorrect, championChanges: totals.changes,
                rollbacks: totals.rollbacks, failedJobs: failedJobs, patterns: totals.patterns,
                cumulativeActivationRegret: totals.activationRegret))
        return ReplicateResult(
            replicate: replicate, daily: daily, summaries: summaries, users: recorded, championTimeline: timeline)
    }
}
