import GRDB
import OnboardingEngine

/// Row → value conversions of the engine tables. Decoding failures become ``PersistenceError/corruptRow``
/// naming the table, row and column, never a crash.
enum FlowPatternRecord {
    /// The columns `pattern(from:)` reads, in the order of ``selection`` (read by position: a name lookup
    /// lowercases the name, and the simulator reads every pattern every day).
    enum Columns: String, CaseIterable {
        case id
        case persona
        case flowId = "flow_id"
        case steps
        case winRate7d = "win_rate_7d"
        case winRate30d = "win_rate_30d"
        case avgTimeToFirstWinMinutes = "avg_time_to_first_win_minutes"
        case sampleSize = "sample_size"
        case winScore = "win_score"
        case explorationPriority = "exploration_priority"
        case suggestedVariant = "suggested_variant"
        case isChampion = "is_champion"
        case lastChampionAt = "last_champion_at"
        case electedWinScore = "elected_win_score"
        case lastObservedAt = "last_observed_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
    private static let selection = Columns.allCases.map(\.rawValue).joined(separator: ", ")
    /// The queries whose rows `pattern(from:)` decodes: every pattern, a persona's, one by persona and flow.
    static let selectAllSQL = "SELECT \(selection) FROM onboarding_flow_patterns ORDER BY persona, flow_id"
    static let selectPersonaSQL =
        "SELECT \(selection) FROM onboarding_flow_patterns WHERE persona = ? ORDER BY persona, flow_id"
    static let selectOneSQL = "SELECT \(selection) FROM onboarding_flow_patterns WHERE persona = ? AND flow_id = ?"
    private static let positions = Dictionary(
        uniqueKeysWithValues: Columns.allCases.enumerated().map { ($0.element, $0.offset) })

    /// Decodes a row of ``selectAllSQL``, ``selectPersonaSQL`` or ``selectOneSQL``.
    static func pattern(from row: Row) throws -> FlowPattern {
        let key: String = (try? row.decode(atIndex: positions[.flowId]!)) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: Columns) throws -> T {
            do { return try row.decode(T.self, atIndex: positions[column]!) } catch {
                throw PersistenceError.corruptRow(
                    table: "onboarding_flow_patterns", key: key, column: column.rawValue, reason: "\(error)")
            }
        }
        func time(_ column: Columns) throws -> Minute? {
            guard let text: String = try value(column) else { return nil }
            return try SQLTime.minute(text, table: "onboarding_flow_patterns", key: key, column: column.rawValue)
        }
        func requiredTime(_ column: Columns) throws -> Minute {
            try SQLTime.minute(try value(column), table: "onboarding_flow_patterns", key: key, column: column.rawValue)
        }
        let stepsText: String = try value(.steps)
        guard let steps = JSONValue.parseStringArray(stepsText) else {
            throw PersistenceError.corruptRow(
                table: "onboarding_flow_patterns", key: key, column: "steps", reason: "not a JSON array of step ids")
        }
        return FlowPattern(
            id: try value(.id), persona: try value(.persona), flowId: try value(.flowId), steps: steps,
            winRate7d: try value(.winRate7d), winRate30d: try value(.winRate30d),
            avgTimeToFirstWinMinutes: try value(.avgTimeToFirstWinMinutes) as Double?,
            sampleSize: try value(.sampleSize),
            winScore: try value(.winScore), explorationPriority: try value(.explorationPriority),
            suggestedVariant: try value(.suggestedVariant) as String?, isChampion: try value(.isChampion),
            lastChampionAt: try time(.lastChampionAt), electedWinScore: try value(.electedWinScore) as Double?,
            lastObservedAt: try time(.lastObservedAt), createdAt: try requiredTime(.createdAt),
            updatedAt: try requiredTime(.updatedAt))
    }
}

enum AssignmentRecord {
    /// The columns `assignment(from:)` reads, by position (name lookups cost more than the query on hot paths).
    static let columns = [
        "id", "user_id", "persona", "flow_id", "assigned_at", "mode", "activated_7d", "retained_30d", "upgraded",
        "last_updated",
    ]
    static let selection = columns.joined(separator: ", ")

    static func assignment(from row: Row) throws -> Assignment {
        let key: String = (try? row.decode(atIndex: 1)) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: String) throws -> T {
            guard let index = columns.firstIndex(of: column) else { preconditionFailure("unknown column \(column)") }
            do { return try row.decode(T.self, atIndex: index) } catch {
                throw PersistenceError.corruptRow(
                    table: "onboarding_flow_assignments", key: key, column: column, reason: "\(error)")
            }
        }
        let modeText: String = try value("mode")
        guard let mode = AssignmentMode(rawValue: modeText) else {
            throw PersistenceError.corruptRow(
                table: "onboarding_flow_assignments", key: key, column: "mode", reason: "unknown mode '\(modeText)'")
        }
        return Assignment(
            id: try value("id"), userId: try value("user_id"), persona: try value("persona"),
            flowId: try value("flow_id"),
            assignedAt: try SQLTime.minute(
                try value("assigned_at"), table: "onboarding_flow_assignments", key: key, column: "assigned_at"),
            mode: mode, activated7d: try value("activated_7d"),
            retained30d: try value("retained_30d"), upgraded: try value("upgraded"),
            lastUpdated: try SQLTime.minute(
                try value("last_updated"), table: "onboarding_flow_assignments", key: key, column: "last_updated"))
    }
}

enum MetricsRecord {
    static let columns = [
        "user_id", "activated_7d", "retained_30d", "upgraded", "time_to_first_win_minutes", "first_aha_moment_at",
        "activation_event", "completion_rate", "created_at", "updated_at",
    ]
    static let selection = columns.joined(separator: ", ")

    static func metrics(from row: Row) throws -> JourneyMetrics {
        let key: String = (try? row.decode(atIndex: 0)) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: String) throws -> T {
            guard let index = columns.firstIndex(of: column) else { preconditionFailure("unknown column \(column)") }
            do { return try row.decode(T.self, atIndex: index) } catch {
                throw PersistenceError.corruptRow(
                    table: "onboarding_journey_metrics", key: key, column: column, reason: "\(error)")
            }
        }
        func time(_ column: String) throws -> Minute {
            try SQLTime.minute(try value(column), table: "onboarding_journey_metrics", key: key, column: column)
        }
        let firstAha: String? = try value("first_aha_moment_at")
        return JourneyMetrics(
            userId: try value("user_id"), activated7d: try value("activated_7d"),
            retained30d: try value("retained_30d"),
            upgraded: try value("upgraded"), timeToFirstWinMinutes: try value("time_to_first_win_minutes") as Int?,
            firstAhaMomentAt: try firstAha.map {
                try SQLTime.minute($0, table: "onboarding_journey_metrics", key: key, column: "first_aha_moment_at")
            },
            activationEvent: try value("activation_event") as String?,
            completionRate: try value("completion_rate"), createdAt: try time("created_at"),
            updatedAt: try time("updated_at"))
    }
}

enum JobRecord {
    static func job(from row: Row) throws -> LearningJob {
        let key: String = (try? row.decode(forColumn: "id")) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: String) throws -> T {
            do { return try row.decode(T.self, forColumn: column) } catch {
                throw PersistenceError.corruptRow(
                    table: "onboarding_learning_jobs", key: key, column: column, reason: "\(error)")
            }
        }
        let statusText: String = try value("status")
        guard let status = LearningJob.Status(rawValue: statusText) else {
            throw PersistenceError.corruptRow(
                table: "onboarding_learning_jobs", key: key, column: "status", reason: "unknown status '\(statusText)'")
        }
        let completed: String? = try value("completed_at")
        return LearningJob(
            id: try value("id"), jobType: try value("job_type"), status: status,
            patternsDiscovered: try value("patterns_discovered"), championsUpdated: try value("champions_updated"),
            errorMessage: try value("error_message") as String?, metadata: try value("metadata"),
            startedAt: try SQLTime.minute(
                try value("started_at"), table: "onboarding_learning_jobs", key: key, column: "started_at"),
            completedAt: try completed.map {
                try SQLTime.minute($0, table: "onboarding_learning_jobs", key: key, column: "completed_at")
            })
    }
}
