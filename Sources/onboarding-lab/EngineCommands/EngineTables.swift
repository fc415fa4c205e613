import OnboardingEngine

/// The engine's state as tables (`inspect`, `engine settings`): one function per view, rows in a stable order.
///
/// Column names are the SQLite column names of SPEC §1.2 where one exists; times are minutes of the engine clock
/// (ISO 8601 in text output).
enum EngineTables {
    /// `getAllFlowPatterns`: by persona, then win score descending, then flow id.
    static func patterns(_ patterns: [FlowPattern]) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("persona"), .init("flow_id"), .init("sample_size"), .init("win_rate_7d"), .init("win_rate_30d"),
            .init("avg_time_to_first_win_minutes", decimals: 1), .init("win_score"),
            .init("exploration_priority", decimals: 2), .init("suggested_variant"), .init("is_champion"),
            .init("updated_at"),
        ])
        for p in patterns {
            table.append([
                .text(p.persona), .text(p.flowId), .integer(p.sampleSize), .real(p.winRate7d), .real(p.winRate30d),
                p.avgTimeToFirstWinMinutes.map { .real($0) } ?? .missing, .real(p.winScore),
                .real(p.explorationPriority), p.suggestedVariant.map { .text($0) } ?? .missing, .bool(p.isChampion),
                .time(p.updatedAt),
            ])
        }
        return table
    }

    /// One row per persona (configured or with patterns, sorted): its champion, if any, and how many patterns
    /// compete with it.
    static func champions(personas: [String], patterns: [FlowPattern]) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("persona"), .init("champion_flow_id"), .init("win_score"), .init("elected_win_score"),
            .init("sample_size"), .init("last_champion_at"), .init("patterns"),
        ])
        var byPersona: [String: [FlowPattern]] = [:]
        for p in patterns { byPersona[p.persona, default: []].append(p) }
        for persona in Set(personas).union(byPersona.keys).sorted() {
            let own = byPersona[persona] ?? []
            if let c = own.first(where: \.isChampion) {
                table.append([
                    .text(persona), .text(c.flowId), .real(c.winScore), c.electedWinScore.map { .real($0) } ?? .missing,
                    .integer(c.sampleSize), c.lastChampionAt.map { .time($0) } ?? .missing, .integer(own.count),
                ])
            } else {
                table.append([.text(persona), .missing, .missing, .missing, .missing, .missing, .integer(own.count)])
            }
        }
        return table
    }

    /// `onboarding_learning_jobs`, oldest first.
    static func jobs(_ jobs: [LearningJob]) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("id"), .init("job_type"), .init("status"), .init("patterns_discovered"), .init("champions_updated"),
            .init("started_at"), .init("completed_at"), .init("error_message", maxWidth: 100),
        ])
        for j in jobs {
            table.append([
                .text(j.id), .text(j.jobType), .text(j.status.rawValue), .integer(j.patternsDiscovered),
                .integer(j.championsUpdated), .time(j.startedAt), j.completedAt.map { .time($0) } ?? .missing,
                j.errorMessage.map { .text($0) } ?? .missing,
            ])
        }
        return table
    }

    /// `orchestrator_events`, oldest first; the payload is the stored JSON text.
    static func events(_ events: [OrchestratorEvent]) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("occurred_at"), .init("event_type"), .init("persona"), .init("payload"),
        ])
        for e in events {
            table.append([
                .time(e.occurredAt), .text(e.eventType), e.persona.map { .text($0) } ?? .missing, .text(e.payload),
            ])
        }
        return table
    }

    /// `getActivationTrendData`: one row per signup day that had signups.
    static func trend(_ points: [TrendPoint]) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("day"), .init("date"), .init("total"), .init("activated"), .init("activation_rate"),
        ])
        for t in points {
            table.append([
                .integer(t.day), TimeArgument.isoDate(day: t.day).map { .text($0) } ?? .missing, .integer(t.total),
                .integer(t.activated), .real(t.activationRate),
            ])
        }
        return table
    }

    /// Every setting in ``EngineSettings/keys`` order; `effective` is filled where a law bounds the value.
    static func settings(_ settings: EngineSettings) -> TableFormatter {
        var table = TableFormatter(columns: [
            .init("key"), .init("value", decimals: nil), .init("effective", decimals: nil),
        ])
        for (key, value) in settings.keyValues {
            let effective: TableFormatter.Cell
            switch key {
            case "epsilon": effective = .real(settings.effectiveEpsilon)
            case "min_champion_sample": effective = .integer(settings.effectiveMinChampionSample)
            default: effective = .missing
            }
            table.append([.text(key), cell(value), effective])
        }
        return table
    }

    static func cell(_ value: SettingScalar) -> TableFormatter.Cell {
        switch value {
        case .real(let d): return .real(d)
        case .integer(let i): return .integer(i)
        case .text(let s): return .text(s)
        }
    }
}
