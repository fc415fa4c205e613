extension V4Engine {
    /// `get_recent_onboarding_journeys`: every user assigned in `(now − window_days·1440, now]`.
    public func getRecentJourneys(now: Minute) throws -> [Journey] {
        try store.recentJourneys(since: try windowStart(now: now, settings: settingsCache))
    }

    /// `now − window_days·1440`, or ``EngineError/invalidSetting`` when that is not a representable minute (a
    /// `window_days` row written by hand must fail the job with a message, never crash it).
    func windowStart(now: Minute, settings: EngineSettings) throws -> Minute {
        let (window, overflow) = settings.windowDays.multipliedReportingOverflow(by: Clock.minutesPerDay)
        let (start, underflow) = now.subtractingReportingOverflow(window)
        guard !overflow && !underflow else {
            throw EngineError.invalidSetting(
                key: "window_days",
                reason: "a window of \(settings.windowDays) days before minute \(now) is out of range")
        }
        return start
    }

    /// Groups journeys by (persona, presented steps) and computes each group's statistics (SPEC §1.4),
    /// sorted by win score descending, then flow id.
    public func aggregateFlows(_ journeys: [Journey], now: Minute) -> [FlowStats] {
        struct Key: Hashable {
            var persona: String
            var steps: [String]
        }
        var groups: [Key: FlowAccumulator<String>] = [:]
        for j in journeys {
            groups[Key(persona: j.persona, steps: j.steps), default: FlowAccumulator<String>()].add(
                assignedAt: j.assignedAt, activated7d: j.activated7d, retained30d: j.retained30d,
                timeToFirstWin: j.timeToFirstWinMinutes, variant: j.variant, now: now)
        }
        let settings = settingsCache
        return sortByScore(
            groups.map { key, acc in acc.stats(persona: key.persona, steps: key.steps, settings: settings) { $0 } })
    }

    func sortByScore(_ stats: [FlowStats]) -> [FlowStats] {
        let settings = settingsCache
        return stats.map { (WinScore.score($0, settings: settings), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1.flowId < $1.1.flowId }
            .map(\.1)
    }

    /// Inserts or updates a pattern by (persona, flow_id); the store computes its win score.
    @discardableResult
    public func upsertFlowPattern(_ stats: FlowStats, at: Minute) throws -> FlowPattern {
        defer { patternCache = nil }
        return try store.upsertPattern(stats, observedAt: nil, at: at)
    }

    /// `elect_champion_flows`: per persona, installs the best eligible pattern as champion unless the rollback
    /// law forbids it (SPEC §1.4, §1.7a). Returns the changes and the rollbacks applied.
    ///
    /// With `stale_patterns: drop_from_election`, called on its own, "tonight's window" is the latest nightly job's:
    /// patterns observed by it are eligible. (The nightly job itself passes its own time.)
    public func electChampionFlows(now: Minute) throws -> ElectionResult {
        try store.transaction { try elect(now: now, observedAt: nil) }
    }

    /// `observedAt`: the nightly job whose window decides freshness; nil = the latest observation of any pattern.
    func elect(now: Minute, observedAt: Minute?) throws -> ElectionResult {
        defer { patternCache = nil }
        let settings = settingsCache
        let all = try store.patterns(persona: nil)
        let latestObservation = observedAt ?? all.compactMap(\.lastObservedAt).max()
        var byPersona: [String: [FlowPattern]] = [:]
        for p in all { byPersona[p.persona, default: []].append(p) }
        var result = ElectionResult()
        for persona in byPersona.keys.sorted() {
            let patterns = byPersona[persona] ?? []
            let current = patterns.first(where: \.isChampion)
            let eligible = patterns.filter { p in
                p.sampleSize >= settings.effectiveMinChampionSample
                    && (settings.stalePatterns == .keep
                        || (p.lastObservedAt != nil && p.lastObservedAt == latestObservation))
            }
            guard let candidate = eligible.max(by: Self.electionOrder), candidate.flowId != current?.flowId else {
                continue
            }
            if let current, candidate.winScore < current.winScore - settings.laws.maxWinScoreDegradation {
                let rollback = ChampionRollback(
                    persona: persona, champion: current.flowId, rejectedCandidate: candidate.flowId,
                    championScore: current.winScore, candidateScore: candidate.winScore)
                result.rollbacks.append(rollback)
                try store.appendOrchestratorEvent(
                    type: .rollback, persona: persona,
                    payload: JSONValue.object([
                        "champion": .string(current.flowId), "rejected_candidate": .string(candidate.flowId),
                        "champion_win_score": .number(current.winScore),
                        "candidate_win_score": .number(candidate.winScore),
                        "max_win_score_degradation": .number(settings.laws.maxWinScoreDegradation),
                    ]).text, at: now)
                continue
            }
            if let current {
                try store.setChampion(
                    persona: persona, flowId: current.flowId, isChampion: false,
                    lastChampionAt: current.lastChampionAt, electedWinScore: current.electedWinScore, at: now)
            }
            try store.setChampion(
                persona: persona, flowId: candidate.flowId, isChampion: true, lastChampionAt: now,
                electedWinScore: candidate.winScore, at: now)
            let change = ChampionChange(
                persona: persona, oldChampion: current?.flowId, newChampion: candidate.flowId,
                winScoreDelta: candidate.winScore - (current?.winScore ?? 0))
            result.changes.append(change)
            try store.appendOrchestratorEvent(
                type: .championChanged, persona: persona,
                payload: JSONValue.object([
                    "old_champion": current.map { .string($0.flowId) } ?? .null,
                    "new_champion": .string(candidate.flowId),
                    "win_score_delta": .number(change.winScoreDelta), "new_win_score": .number(candidate.winScore),
                    "sample_size": .integer(candidate.sampleSize),
                ]).text, at: now)
        }
        return result
    }

    /// Election order: win score, then larger sample, then the lexicographically first flow id wins.
    static func electionOrder(_ a: FlowPattern, _ b: FlowPattern) -> Bool {
        if a.winScore != b.winScore { return a.winScore < b.winScore }
        if a.sampleSize != b.sampleSize { return a.sampleSize < b.sampleSize }
        return a.flowId > b.flowId
    }

    /// The nightly learning job (SPEC §1.4): fetch the window, aggregate, upsert, raise degradation alerts, elect.
    ///
    /// The job row is written `running` first; the learning itself is one transaction. On any error that
    /// transaction is rolled back (no partial pattern update remains), the job becomes `failed` with the message
    /// and `onboarding_learning_job_failed` is emitted; the failed report is returned rather than thrown, because
    /// a failed night is an outcome the lab measures. Errors writing the job row itself are thrown.
    @discardableResult
    public func runNightlyLearningJob(now: Minute) throws -> NightlyReport {
        let settings = settingsCache
        let sequence = try store.jobCount()
        var job = LearningJob(
            id: FlowID.stableUUID("job:\(sequence):\(now)"), jobType: "nightly_analysis", status: .running,
            metadata: JSONValue.object([
                "window_days": .integer(settings.windowDays), "count_immature": .bool(settings.countImmature),
                "policy": .string(settings.policy.rawValue),
            ]).text, startedAt: now)
        try store.insertJob(job)
        let learnt: (upserted: Int, election: ElectionResult)
        do {
            learnt = try store.transaction { () throws -> (Int, ElectionResult) in
                try learn(now: now, settings: settings)
            }
        } catch {
            // The learning transaction was rolled back: record the failure and report it.
            patternCache = nil
            policyStateCache = nil
            job.status = .failed
            job.errorMessage = "\(error)"
            job.completedAt = now
            try store.updateJob(job)
            try store.appendOrchestratorEvent(
                type: .jobFailed, persona: nil,
                payload: JSONValue.object(["job_id": .string(job.id), "error_message": .string("\(error)")]).text,
                at: now)
            return NightlyReport(job: job, election: ElectionResult())
        }
        // The learning is committed: an error from here on (writing the job row) is thrown, not recorded as a
        // failed job.
        job.status = .completed
        job.patternsDiscovered = learnt.upserted
        job.championsUpdated = learnt.election.changes.count
        job.completedAt = now
        try store.updateJob(job)
        try store.appendOrchestratorEvent(
            type: .jobRan, persona: nil,
            payload: JSONValue.object([
                "job_id": .string(job.id), "patterns_discovered": .integer(learnt.upserted),
                "champions_updated": .integer(learnt.election.changes.count),
                "rollbacks": .integer(learnt.election.rollbacks.count),
            ]).text, at: now)
        try store.compact(now: now, settings: settings)
        return NightlyReport(job: job, election: learnt.election)
    }

    /// The learning itself (run inside the nightly job's transaction): aggregate the window, upsert, raise
    /// degradation alerts, elect. Returns the number of patterns upserted and the election.
    func learn(now: Minute, settings: EngineSettings) throws -> (Int, ElectionResult) {
        let stats: [FlowStats]
        let since = try windowStart(now: now, settings: settings)
        if let totals = try store.windowTotals(since: since, now: now) {
            stats = sortByScore(
                totals.map { $0.totals.stats(persona: $0.persona, steps: $0.steps, settings: settings) { $0 } })
        } else {
            stats = aggregateFlows(try store.recentJourneys(since: since), now: now)
        }
        try faultInjector?(.afterFetch)
        var champions: [String: FlowPattern] = [:]
        for p in try store.patterns(persona: nil) where p.isChampion { champions[p.flowId] = p }
        var degraded: [String] = []
        for s in stats {
            let stored = try store.upsertPattern(s, observedAt: now, at: now)
            guard let before = champions[s.flowId], let elected = before.electedWinScore else { continue }
            let threshold = elected - settings.laws.maxWinScoreDegradation
            if stored.winScore < threshold && !(before.winScore < threshold) {
                degraded.append(s.flowId)
                try store.appendOrchestratorEvent(
                    type: .winScoreDegraded, persona: s.persona,
                    payload: JSONValue.object([
                        "champion": .string(s.flowId), "elected_win_score": .number(elected),
                        "win_score": .number(stored.winScore),
                        "max_win_score_degradation": .number(settings.laws.maxWinScoreDegradation),
                    ]).text, at: now)
            }
        }
        patternCache = nil
        try faultInjector?(.afterUpsert)
        var election = try elect(now: now, observedAt: now)
        election.degradations = degraded
        _ = try concludeABTests(now: now, settings: settings)
        try faultInjector?(.afterElection)
        if settings.epsilonIsClamped { try emitClamp(settings, at: now, reason: "nightly_job") }
        return (stats.count, election)
    }
}

extension V4Engine {
    /// Fixes the winner of every `ab-test` persona whose test has run `ab_test_days` days by `now` (run inside the
    /// nightly job's transaction, after the election): the arm whose pattern is best in election order among arms
    /// with a sample. A persona whose arms have no sample yet keeps testing. Emits
    /// `onboarding_ab_test_concluded` per decision. Returns the personas decided.
    func concludeABTests(now: Minute, settings: EngineSettings) throws -> [String] {
        guard settings.policy == .abTest else { return [] }
        var decided: [String] = []
        for state in try store.personaPolicyStates() {
            guard let started = state.abTestStartedAt, state.abTestWinner == nil,
                now >= started + settings.abTestDays * Clock.minutesPerDay,
                let config = personaCache[state.persona]
            else { continue }
            let arms = PersonaPolicyState.arms(v3Default: config.v3Default, candidates: state.candidates)
            let patterns = try store.patterns(persona: state.persona)
            let observed = arms.compactMap { arm -> (PolicyArm, FlowPattern)? in
                guard let p = patterns.first(where: { $0.steps == arm.steps }), p.sampleSize > 0 else { return nil }
                return (arm, p)
            }
            guard let best = observed.max(by: { Self.electionOrder($0.1, $1.1) }) else { continue }
            var concluded = state
            concluded.abTestWinner = best.0
            concluded.abTestConcludedAt = now
            try savePolicyState(concluded)
            decided.append(state.persona)
            try store.appendOrchestratorEvent(
                type: .abTestConcluded, persona: state.persona,
                payload: JSONValue.object([
                    "flow_id": .string(best.1.flowId), "win_score": .number(best.1.winScore),
                    "sample_size": .integer(best.1.sampleSize), "started_at": .integer(started),
                    "ab_test_days": .integer(settings.abTestDays), "arms": .integer(arms.count),
                ]).text, at: now)
        }
        return decided
    }
}
