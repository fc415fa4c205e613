import OnboardingEngine
import Stochastics

/// The JSON endpoints (README "The dashboard"): the same data as the page, keys sorted, times ISO 8601 UTC.
enum DashboardAPI {
    static func interval(_ i: Interval?) -> JSONValue {
        i.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
    }

    static func time(_ minute: Minute?) -> JSONValue { minute.map { .string(Clock.iso($0)) } ?? .null }

    /// `/api/patterns`: every pattern with its Wilson intervals, champion flag and differences from the champion.
    static func patterns(_ snapshot: EngineSnapshot) -> JSONValue {
        let rows = PerformanceRow.rows(snapshot).map { row -> JSONValue in
            let p = row.pattern
            var object: [String: JSONValue] = [
                "persona": .string(p.persona), "flow_id": .string(p.flowId),
                "steps": .array(p.steps.map(JSONValue.string)),
                "sample_size": .integer(p.sampleSize), "win_rate_7d": .number(p.winRate7d),
                "win_rate_7d_ci95": interval(row.winRate7dInterval), "win_rate_30d": .number(p.winRate30d),
                "win_rate_30d_ci95": interval(row.winRate30dInterval),
                "avg_time_to_first_win_minutes": p.avgTimeToFirstWinMinutes.map(JSONValue.number) ?? .null,
                "win_score": .number(p.winScore), "exploration_priority": .number(p.explorationPriority),
                "suggested_variant": p.suggestedVariant.map(JSONValue.string) ?? .null,
                "is_champion": .bool(p.isChampion), "last_champion_at": time(p.lastChampionAt),
                "updated_at": time(p.updatedAt),
            ]
            if let d = row.differences {
                object["differences_from_champion"] = .object([
                    "steps": .array(
                        d.steps.map { .object(["step": .string($0.step), "mark": .string($0.mark.rawValue)]) }),
                    "missing": .array(d.missing.map(JSONValue.string)),
                ])
            } else {
                object["differences_from_champion"] = .null
            }
            return .object(object)
        }
        let champions = snapshot.personas.map { persona -> JSONValue in
            .object([
                "persona": .string(persona),
                "champion_flow_id": snapshot.champion(of: persona).map { .string($0.flowId) } ?? .null,
            ])
        }
        let s = snapshot.settings
        return .object([
            "patterns": .array(rows), "personas": .array(champions),
            "epsilon": .object([
                "configured": .number(s.epsilon), "effective": .number(s.effectiveEpsilon),
                "max_epsilon": .number(s.laws.maxEpsilon),
            ]),
        ])
    }

    /// `/api/trend?days=N`: one entry per day up to the latest signup day.
    static func trend(_ snapshot: EngineSnapshot, days: Int) -> JSONValue {
        let points = snapshot.trend.map { t -> JSONValue in
            .object([
                "day": .integer(t.day), "date": Clock.isoDate(day: t.day).map(JSONValue.string) ?? .null,
                "total": .integer(t.total), "activated": .integer(t.activated),
                "activation_rate": t.total > 0 ? .number(t.activationRate) : .null,
                "ci95": interval(PerformanceRow.wilson(t.activationRate, n: t.total)),
            ])
        }
        return .object([
            "days": .integer(days),
            "end_date": snapshot.trendEndDay.flatMap { Clock.isoDate(day: $0) }.map(JSONValue.string) ?? .null,
            "points": .array(points),
        ])
    }

    /// `/api/jobs`: the learning jobs, newest first.
    static func jobs(_ snapshot: EngineSnapshot) -> JSONValue {
        .object([
            "jobs": .array(
                snapshot.jobs.map { j in
                    .object([
                        "id": .string(j.id), "job_type": .string(j.jobType), "status": .string(j.status.rawValue),
                        "patterns_discovered": .integer(j.patternsDiscovered),
                        "champions_updated": .integer(j.championsUpdated),
                        "error_message": j.errorMessage.map(JSONValue.string) ?? .null,
                        "started_at": time(j.startedAt), "completed_at": time(j.completedAt),
                    ])
                })
        ])
    }

    /// `/api/events`: the orchestrator events, newest first; the payload is the stored JSON text.
    static func events(_ snapshot: EngineSnapshot) -> JSONValue {
        .object([
            "events": .array(
                snapshot.events.map { e in
                    .object([
                        "id": .string(e.id), "event_type": .string(e.eventType),
                        "persona": e.persona.map(JSONValue.string) ?? .null, "payload": .string(e.payload),
                        "occurred_at": time(e.occurredAt),
                    ])
                })
        ])
    }
}
