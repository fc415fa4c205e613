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
    /// More personas, flows per persona or steps per flow than a pending event can name (65,536 each).
    case worldTooLarge(String)

    public var description: String {
        switch self {
        case .undeclaredFlow(let persona, let flowId):
            return
                "the engine presented \(flowId) to a \(persona) user, but the scenario declares no flow with those steps (no truth to simulate)"
        case .worldTooLarge(let what):
            return "the simulator handles at most 65,536 personas, flows per persona and steps per flow: \(what)"
        }
    }
}

/// Runs the day loop of SPEC §2.3 for one replicate, driving the engine only through its public operations.
///
/// Each day is four named steps over a ``DayTally``: **arrive** (register the candidates introduced that day,
/// draw the arrivals and, for each user in time order, `initForUser`, the v3 deviation as a
/// `v3_step_order_rewritten` event, and the outcomes decided from the user's latent uniforms and the truth in
/// force on the signup day, scheduled as events: the steps, the activation event within 7 days, retention and
/// upgrade at day 30 or at their outcome delays); **deliver** (every event due that day, in time order); **learn**
/// (the nightly job at the day's end, failed when fault injection says so); **record** (the day's metrics per
/// persona). With a SQLite store arrive, deliver and learn are one transaction. The per-replicate summary is
/// computed afterwards from the records and the cohort tallies (``ReplicateEvaluation``).
///
/// The simulator keeps the store's handle of each user (``UserHandle``) and calls the handle-based operations, so
/// per event it hashes no user id; the events it schedules are small values (handle, persona, flow, step index).
/// A user who does not activate completes the first half of the flow's steps (10, 20, … minutes after signup);
/// one who activates completes the steps before the activation event, evenly spaced before the win. Under a step
/// funnel the steps completed are the user's walk (``UserOutcome/stepsCompleted``), at the same times.
///
/// With persona inference the engine assigns the user under the *inferred* persona, while everything the user
/// does — the truth of the flow shown (the true persona's flow with the same steps), the events sent, the tallies —
/// follows the *true* persona; misclassified users and their regret are counted apart (inference.csv).
public final class ReplicateRunner {
    public let config: SimulationConfig
    public let replicate: Int
    public let engine: V4Engine
    public var recordUsers = false
    /// Called with every user as it is assigned (`run --export-users`), in the replicate's arrival order.
    public var exportUser: ((ExportedUser) throws -> Void)?
    /// Count, per signup day, persona and flow, the users presented each flow and their outcomes (flows.csv).
    public var recordFlows = false

    private let oracle: Oracle
    private let flowIndex: [String: (persona: Int, flow: Int)]
    /// Per persona and flow: the steps presented before the activation event (the step events a user sends).
    private let stepEvents: [[[String]]]
    private var recentFlows: [(id: String, flow: Int)] = []
    /// Per persona: its id and its v3 deviation (read per user without copying the persona's model).
    private let personaIds: [String]
    private let deviations: [DeviationModel?]
    /// With persona inference: `crossFlows[t][i][f]` is the flow of true persona `t` with the steps of flow `f` of
    /// persona `i` (what a user of `t` inferred as `i` is really shown), nil when `t` declares no such flow.
    private let crossFlows: [[[Int?]]]

    public init(config: SimulationConfig, replicate: Int, store: any EngineStore) throws {
        // A world of its own: replicates on other threads then share no reference count (World.privateCopy).
        var config = config
        config.world = config.world.privateCopy()
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
        let limit = Int(UInt16.max) + 1
        if config.world.personas.count > limit {
            throw SimulationError.worldTooLarge("\(config.world.personas.count) personas")
        }
        for persona in config.world.personas {
            if persona.flows.count > limit {
                throw SimulationError.worldTooLarge("persona \(persona.id) has \(persona.flows.count) flows")
            }
            if let flow = persona.flows.first(where: { $0.steps.count > limit }) {
                throw SimulationError.worldTooLarge("flow \(flow.id) of \(persona.id) has \(flow.steps.count) steps")
            }
        }
        self.personaIds = config.world.personas.map(\.id)
        self.deviations = config.world.personas.map(\.deviation)
        self.stepEvents = config.world.personas.map { persona in
            persona.flows.map { flow in flow.steps.filter { $0 != persona.activationEvent } }
        }
        let personas = config.world.personas
        self.crossFlows =
            config.world.inference == nil
            ? []
            : personas.map { t in personas.map { i in i.flows.map { t.flowIndex(steps: $0.steps) } } }
    }

    /// An event due later: the user's handle and what to send, in 16 bytes (the calendar holds every pending
    /// retention and upgrade for up to 30 days or the outcome delays). The day is the calendar's; the minute of
    /// the day and the kind share 16 bits.
    struct PendingEvent {
        enum Kind: UInt16 {
            case step, activation, retained, upgraded
        }

        var user: UserHandle
        private var minuteAndKind: UInt16
        var persona: UInt16
        /// For a step: the flow presented and the step's position in ``ReplicateRunner/stepEvents``.
        var flow: UInt16
        var step: UInt16

        init(minute: Minute, user: UserHandle, persona: Int, kind: Kind, flow: Int, step: Int = 0) {
            self.user = user
            self.minuteAndKind = UInt16(minute % Clock.minutesPerDay) | kind.rawValue << 14
            self.persona = UInt16(persona)
            self.flow = UInt16(flow)
            self.step = UInt16(step)
        }

        var kind: Kind { Kind(rawValue: minuteAndKind >> 14) ?? .step }
        /// The minute of the event, on `day` (the calendar day it is filed under).
        func minute(day: Int) -> Minute { day * Clock.minutesPerDay + Int(minuteAndKind & 0x3FFF) }
    }

    /// The replicate's state between days.
    struct State {
        /// Per day, the events due (in chunks: a day's list grows by a chunk, never by doubling).
        var calendar: [ChunkedDeque<PendingEvent>]
        var daily: [DailyRecord] = []
        var cohorts: CohortTally
        var recorded: [SyntheticUser] = []
        var timeline: [(day: Int, persona: String, flow: String)] = []
        var cumulative: [Double]
        var championChanges: [Int]
        var failedJobs = 0
        var flows: FlowTally?

        init(personas: Int, horizon: Int) {
            calendar = Array(repeating: ChunkedDeque(), count: horizon)
            cohorts = CohortTally(personas: personas, horizon: horizon)
            cumulative = Array(repeating: 0, count: personas)
            championChanges = Array(repeating: 0, count: personas)
            daily.reserveCapacity(horizon * personas)
        }

        /// Files an event at `minute` (dropped when past the horizon).
        mutating func schedule(
            at minute: Minute, user: UserHandle, persona: Int, kind: PendingEvent.Kind, flow: Int, step: Int = 0
        ) {
            let day = Clock.day(of: minute)
            guard day < calendar.count else { return }
            calendar[day].append(
                PendingEvent(minute: minute, user: user, persona: persona, kind: kind, flow: flow, step: step))
        }
    }

    /// Runs the whole horizon. `progress` is called after each day with the number of days done.
    public func run(progress: ((Int) -> Void)? = nil) throws -> ReplicateResult {
        let world = config.world
        try engine.updateSettings(config.settings, at: 0)
        for p in world.personas { try engine.configurePersona(p.engineConfig) }
        let users = UserGenerator(world: world, seed: config.seed, replicate: replicate)
        let faults = RandomStream(master: config.seed, replicate: replicate, stream: .faults)
        var state = State(personas: world.personas.count, horizon: world.horizonDays)
        if recordFlows { state.flows = FlowTally(world: world) }

        for day in 0..<world.horizonDays {
            let truths = world.personas.indices.map { oracle.day(persona: $0, day: day) }
            var tally = DayTally(personas: world.personas.count)
            let failTonight = config.jobFailureRate > 0 && faults.uniform() < config.jobFailureRate
            let report = try engine.store.batch { () throws -> NightlyReport in
                try arrive(day: day, users: users.arrivals(day: day), truths: truths, tally: &tally, state: &state)
                try deliver(day: day, state: &state)
                return try learn(day: day, fail: failTonight)
            }
            try record(day: day, truths: truths, tally: tally, report: report, state: &state)
            progress?(day + 1)
        }
        return ReplicateResult(
            replicate: replicate, daily: state.daily,
            summaries: ReplicateEvaluation(world: world, cohorts: state.cohorts).summaries(
                daily: state.daily, championChanges: state.championChanges, failedJobs: state.failedJobs),
            users: state.recorded, championTimeline: state.timeline, flows: state.flows?.records ?? [])
    }

    /// Registers the day's candidates, then assigns each arrival, applies the v3 deviation and schedules the
    /// outcomes its latent uniforms decide.
    private func arrive(
        day: Int, users: [SyntheticUser], truths: [Oracle.Day], tally: inout DayTally, state: inout State
    ) throws {
        let world = config.world
        let dayStart = day * Clock.minutesPerDay
        for persona in world.personas {
            for flow in persona.flows where flow.candidate && flow.introducedDay == day {
                let variant = persona.v3Default.first { persona.flows[$0.flow].steps == flow.steps }?.variant
                try engine.registerCandidateFlow(persona: persona.id, steps: flow.steps, variant: variant, at: dayStart)
            }
        }
        let explorationApplies = try world.personas.map { try engine.explorationApplies(persona: $0.id) }
        for user in users {
            if recordUsers { state.recorded.append(user) }
            let p = user.persona
            // The engine sees the inferred persona; the user's behaviour follows the true one.
            let shown = world.inference?.inferred(persona: p, day: day, u: user.uInference) ?? p
            let assigned = try engine.assign(userId: user.id, persona: personaIds[shown], at: user.signupMinute)
            let handle = assigned.user
            var deviated = false
            guard var flow = declaredFlow(assigned.flow.flowId) else {
                throw SimulationError.undeclaredFlow(persona: personaIds[shown], flowId: assigned.flow.flowId)
            }
            if let deviation = deviations[shown], deviation.from.contains(flow),
                user.uDeviation < deviation.rate,
                let target = WeightedChoice.index(deviation.to.map(\.weight), u: user.uDeviation / deviation.rate)
            {
                flow = deviation.to[target].flow
                deviated = true
                try engine.handleEvent(
                    user: handle, eventType: stepOrderRewrittenEvent, at: user.signupMinute,
                    metadata: JSONValue.stringArray(world.personas[shown].flows[flow].steps))
            }
            if shown != p {
                guard let own = crossFlows[p][shown][flow] else {
                    throw SimulationError.undeclaredFlow(persona: personaIds[p], flowId: assigned.flow.flowId)
                }
                flow = own
                tally[p].misclassified += 1
                tally[p].misclassifiedRegret += truths[p].regret[flow]
            }
            tally.count(
                assigned.mode, persona: p, epsilonDrawn: explorationApplies[shown], regret: truths[p].regret[flow],
                activationRegret: truths[p].activationRegret[flow])
            let outcome = UserOutcome(user: user, truth: truths[p].truth[flow])
            if let exportUser {
                try exportUser(
                    ExportedUser(
                        user: user, signupDay: day, persona: p, inferredPersona: shown, flow: flow, deviated: deviated,
                        mode: assigned.mode, rates: UserRates(user: user, truth: truths[p].truth[flow]),
                        upgradeProbability: truths[p].truth[flow].upgrade.probability(
                            activated: outcome.activated, retained: outcome.retained), outcome: outcome,
                        counterfactual: truths[p].truth.map { UserOutcome(user: user, truth: $0) }))
            }
            state.cohorts.add(
                persona: p, day: day, activated: outcome.activated, retained: outcome.retained,
                upgraded: outcome.upgraded)
            state.flows?.add(outcome, persona: p, flow: flow)
            schedule(outcome, signup: user.signupMinute, user: handle, persona: p, flow: flow, state: &state)
        }
    }

    /// Schedules the events of `outcome`: the steps and the activation event, then retention and upgrade at their
    /// delays (day 30 without outcome delays). Under a step funnel the steps sent are those of the user's walk (the
    /// activation event only when activated); without one, an activator's steps are all of them and a
    /// non-activator's the first half.
    private func schedule(
        _ outcome: UserOutcome, signup: Minute, user handle: UserHandle, persona p: Int, flow: Int, state: inout State
    ) {
        let steps = stepsSent(outcome, persona: p, flow: flow)
        if outcome.activated {
            let minutes = outcome.minutesToWin
            for k in 0..<steps {
                state.schedule(
                    at: signup + minutes * (k + 1) / (steps + 1), user: handle, persona: p, kind: .step, flow: flow,
                    step: k)
            }
            state.schedule(at: signup + minutes, user: handle, persona: p, kind: .activation, flow: flow)
        } else {
            for k in 0..<steps {
                state.schedule(at: signup + 10 * (k + 1), user: handle, persona: p, kind: .step, flow: flow, step: k)
            }
        }
        if outcome.retained {
            state.schedule(
                at: signup + outcome.retentionDelay, user: handle, persona: p, kind: .retained, flow: flow)
        }
        if outcome.upgraded {
            state.schedule(at: signup + outcome.upgradeDelay, user: handle, persona: p, kind: .upgraded, flow: flow)
        }
    }

    /// How many of the flow's step events (``stepEvents``, the steps other than the activation event) the user
    /// sends.
    private func stepsSent(_ outcome: UserOutcome, persona p: Int, flow: Int) -> Int {
        let all = stepEvents[p][flow].count
        guard let done = outcome.stepsCompleted else { return outcome.activated ? all : all / 2 }
        let persona = config.world.personas[p]
        let activationDone = persona.flows[flow].steps.prefix(done).contains(persona.activationEvent)
        return activationDone ? done - 1 : done
    }

    /// The declared flow behind a flow id. The engine hands out the same few id strings over and over (a
    /// pattern's, a v3 option's), and `==` on one string's own storage is a pointer comparison, so the last ids
    /// seen are tried before hashing, the last match first; a match in other storage keeps the engine's copy.
    private func declaredFlow(_ flowId: String) -> Int? {
        // Found first, moved after: swapping while the loop holds the array would copy it. The same string object
        // first (a bit compare per entry), then an equal string (a miss compares the bytes of two ids).
        guard
            let k = recentFlows.firstIndex(where: { isBitwiseIdentical($0.id, flowId) })
                ?? recentFlows.firstIndex(where: { $0.id == flowId })
        else {
            guard let flow = flowIndex[flowId]?.flow else { return nil }
            if recentFlows.count == 8 { recentFlows.removeLast() }
            recentFlows.insert((flowId, flow), at: 0)
            return flow
        }
        if !isBitwiseIdentical(recentFlows[k].id, flowId) { recentFlows[k].id = flowId }
        if k > 0 { recentFlows.swapAt(0, k) }
        return recentFlows[0].flow
    }

    /// Sends every event due on `day` to the engine, in time order (ties in the order they were scheduled).
    private func deliver(day: Int, state: inout State) throws {
        // Appended in scheduling order, so a stable order by minute is the order by (minute, scheduling).
        let due = MinuteOrder.sorted(state.calendar[day], day: day) { $0.minute(day: day) }
        state.calendar[day] = ChunkedDeque()
        let personas = config.world.personas
        for event in due {
            let minute = event.minute(day: day)
            switch event.kind {
            case .step:
                try engine.handleEvent(
                    user: event.user, eventType: stepEvents[Int(event.persona)][Int(event.flow)][Int(event.step)],
                    at: minute)
            case .activation:
                try engine.handleEvent(
                    user: event.user, eventType: personas[Int(event.persona)].activationEvent, at: minute)
            case .retained: try engine.recordOutcome(user: event.user, outcome: .retained30d, at: minute)
            case .upgraded: try engine.recordOutcome(user: event.user, outcome: .upgraded, at: minute)
            }
        }
    }

    /// The nightly job at the end of `day`, made to fail after its upsert when `fail`.
    private func learn(day: Int, fail: Bool) throws -> NightlyReport {
        engine.faultInjector =
            fail
            ? { stage in
                if stage == .afterUpsert {
                    throw EngineError.injectedFault("fault injection (job_failure_rate) on day \(day)")
                }
            } : nil
        defer { engine.faultInjector = nil }
        return try engine.runNightlyLearningJob(now: (day + 1) * Clock.minutesPerDay)
    }

    /// Appends the day's record per persona: champion against the truth, regret, allocation, the job's outcome.
    private func record(
        day: Int, truths: [Oracle.Day], tally: DayTally, report: NightlyReport, state: inout State
    ) throws {
        let world = config.world
        let horizon = world.horizonDays
        let failed = report.job.status == .failed
        if failed { state.failedJobs += 1 }
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
            let changes = report.election.changes.filter { $0.persona == persona.id }.count
            let dayRollbacks = report.election.rollbacks.filter { $0.persona == persona.id }.count
            state.championChanges[p] += changes
            if changes > 0 { state.timeline.append((day, persona.id, championLocal)) }
            state.flows?.close(day: day, persona: p)
            let counts = tally[p]
            state.cumulative[p] += counts.regret
            let signups = counts.signups
            let known = day + 7 <= horizon - 1 && signups > 0
            state.daily.append(
                DailyRecord(
                    day: day, persona: persona.id, signups: signups, explore: counts.explore,
                    exploit: counts.exploit, holdback: counts.holdback, championFlow: championLocal,
                    trueBestFlow: bestLocal, championCorrect: championCorrect,
                    activationRate: known ? Double(state.cohorts[p, day].activated) / Double(signups) : nil,
                    regret: counts.regret, cumulativeRegret: state.cumulative[p],
                    activationRegret: counts.activationRegret,
                    patterns: patterns.filter { $0.persona == persona.id }.count, rollbacks: dayRollbacks,
                    jobFailed: failed, epsilonUsers: counts.epsilonUsers, epsilonExplore: counts.epsilonExplore,
                    effectiveEpsilon: config.settings.effectiveEpsilon,
                    misclassified: world.inference == nil ? nil : counts.misclassified,
                    misclassifiedRegret: world.inference == nil ? nil : counts.misclassifiedRegret))
        }
    }
}
