/// Migration `v2-open-database` (frozen): ISO 8601 text times, triggers with SQLite's own functions only, the
/// `engine_writes` counters and the job lease table. See ``EngineSchema``.
extension EngineSchema {
    /// A table rebuilt by v2: its new definition, and the expression each column is copied from.
    private struct Rebuild {
        var table: String
        var definition: String
        /// (column, expression over the v1 row)
        var columns: [(String, String)]
        /// `WITHOUT ROWID` for the tables v1 declared so.
        var options = ""

        var sql: String {
            """
            CREATE TABLE \(table)_v2 (\n\(definition)\n)\(options);
            INSERT INTO \(table)_v2 (\(columns.map(\.0).joined(separator: ", ")))
              SELECT \(columns.map(\.1).joined(separator: ", ")) FROM \(table);
            DROP TABLE \(table);
            ALTER TABLE \(table)_v2 RENAME TO \(table);

            """
        }
    }

    private static func copied(_ names: String...) -> [(String, String)] { names.map { ($0, $0) } }
    private static func converted(_ names: String...) -> [(String, String)] { names.map { ($0, fromMinutes($0)) } }

    /// A time column: ISO 8601 UTC text; `required` columns default to the time of the insert.
    private static func time(_ name: String, required: Bool) -> String {
        required ? "\(name) TEXT NOT NULL DEFAULT (\(nowSQL)) \(timeCheck(name))" : "\(name) TEXT \(timeCheck(name))"
    }

    /// A text id that outside writers may leave to the database (32 random hex digits).
    private static let randomId = "DEFAULT (lower(hex(randomblob(16))))"

    private static var rebuilds: [Rebuild] {
        [
            Rebuild(
                table: "onboarding_flow_patterns",
                definition: """
                      id TEXT PRIMARY KEY NOT NULL \(randomId),
                      persona TEXT NOT NULL,
                      flow_id TEXT NOT NULL,
                      steps TEXT NOT NULL CHECK (json_valid(steps) AND json_type(steps) = 'array'),
                      win_rate_7d REAL NOT NULL DEFAULT 0 CHECK (win_rate_7d BETWEEN 0 AND 1),
                      win_rate_30d REAL NOT NULL DEFAULT 0 CHECK (win_rate_30d BETWEEN 0 AND 1),
                      avg_time_to_first_win_minutes REAL CHECK (avg_time_to_first_win_minutes >= 0),
                      sample_size INTEGER NOT NULL DEFAULT 0 CHECK (sample_size >= 0),
                      win_score REAL NOT NULL DEFAULT 0,
                      exploration_priority REAL NOT NULL DEFAULT 1 CHECK (exploration_priority >= 0),
                      suggested_variant TEXT,
                      is_champion INTEGER NOT NULL DEFAULT 0 CHECK (is_champion IN (0, 1)),
                      \(time("last_champion_at", required: false)),
                      elected_win_score REAL,
                      \(time("last_observed_at", required: false)),
                      \(time("created_at", required: true)),
                      \(time("updated_at", required: true)),
                      engine_writes INTEGER NOT NULL DEFAULT 0,
                      UNIQUE (persona, flow_id)
                    """,
                columns: copied(
                    "id", "persona", "flow_id", "steps", "win_rate_7d", "win_rate_30d", "avg_time_to_first_win_minutes",
                    "sample_size", "win_score", "exploration_priority", "suggested_variant", "is_champion",
                    "elected_win_score")
                    + converted("last_champion_at", "last_observed_at", "created_at", "updated_at")),
            Rebuild(
                table: "onboarding_flow_assignments",
                definition: """
                      id TEXT PRIMARY KEY NOT NULL \(randomId),
                      user_id TEXT NOT NULL UNIQUE,
                      persona TEXT NOT NULL,
                      flow_id TEXT NOT NULL,
                      \(time("assigned_at", required: true)),
                      mode TEXT NOT NULL CHECK (mode IN ('explore', 'exploit', 'holdback')),
                      activated_7d INTEGER NOT NULL DEFAULT 0 CHECK (activated_7d IN (0, 1)),
                      retained_30d INTEGER NOT NULL DEFAULT 0 CHECK (retained_30d IN (0, 1)),
                      upgraded INTEGER NOT NULL DEFAULT 0 CHECK (upgraded IN (0, 1)),
                      \(time("last_updated", required: true)),
                      engine_writes INTEGER NOT NULL DEFAULT 0
                    """,
                columns: copied(
                    "id", "user_id", "persona", "flow_id", "mode", "activated_7d", "retained_30d", "upgraded")
                    + converted("assigned_at", "last_updated")),
            Rebuild(
                table: "onboarding_journey_metrics",
                definition: """
                      user_id TEXT PRIMARY KEY NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      activated_7d INTEGER NOT NULL DEFAULT 0 CHECK (activated_7d IN (0, 1)),
                      retained_30d INTEGER NOT NULL DEFAULT 0 CHECK (retained_30d IN (0, 1)),
                      upgraded INTEGER NOT NULL DEFAULT 0 CHECK (upgraded IN (0, 1)),
                      time_to_first_win_minutes INTEGER,
                      \(time("first_aha_moment_at", required: false)),
                      activation_event TEXT,
                      completion_rate REAL NOT NULL DEFAULT 0,
                      \(time("created_at", required: true)),
                      \(time("updated_at", required: true)),
                      engine_writes INTEGER NOT NULL DEFAULT 0
                    """,
                columns: copied(
                    "user_id", "activated_7d", "retained_30d", "upgraded", "time_to_first_win_minutes",
                    "activation_event", "completion_rate")
                    + converted("first_aha_moment_at", "created_at", "updated_at"), options: " WITHOUT ROWID"),
            Rebuild(
                table: "onboarding_learning_jobs",
                definition: """
                      id TEXT PRIMARY KEY NOT NULL \(randomId),
                      job_type TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                      patterns_discovered INTEGER NOT NULL DEFAULT 0,
                      champions_updated INTEGER NOT NULL DEFAULT 0,
                      error_message TEXT,
                      metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
                      \(time("started_at", required: true)),
                      \(time("completed_at", required: false))
                    """,
                columns: copied(
                    "id", "job_type", "status", "patterns_discovered", "champions_updated", "error_message", "metadata")
                    + converted("started_at", "completed_at")),
            Rebuild(
                table: "onboarding_journey_state",
                definition: """
                      user_id TEXT PRIMARY KEY NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      step_order TEXT NOT NULL CHECK (json_valid(step_order)),
                      completed_steps TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(completed_steps)),
                      \(time("started_at", required: true)),
                      \(time("updated_at", required: true)),
                      engine_writes INTEGER NOT NULL DEFAULT 0
                    """,
                columns: copied("user_id", "step_order", "completed_steps") + converted("started_at", "updated_at"),
                options: " WITHOUT ROWID"),
            Rebuild(
                table: "onboarding_events",
                definition: """
                      id INTEGER PRIMARY KEY,
                      user_id TEXT NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      event_type TEXT NOT NULL,
                      \(time("occurred_at", required: true)),
                      metadata TEXT
                    """,
                columns: copied("id", "user_id", "event_type", "metadata") + converted("occurred_at")),
            Rebuild(
                table: "orchestrator_events",
                definition: """
                      id TEXT PRIMARY KEY NOT NULL \(randomId),
                      event_type TEXT NOT NULL,
                      persona TEXT,
                      payload TEXT NOT NULL CHECK (json_valid(payload)),
                      \(time("occurred_at", required: true))
                    """,
                columns: copied("id", "event_type", "persona", "payload") + converted("occurred_at")),
        ]
    }

    /// The columns whose change makes the pattern's win score and timestamp triggers fire.
    private static let patternDataColumns =
        "persona, flow_id, steps, win_rate_7d, win_rate_30d, avg_time_to_first_win_minutes, sample_size, "
        + "exploration_priority, suggested_variant, is_champion, last_champion_at, elected_win_score, "
        + "last_observed_at, created_at, engine_writes"

    /// The settings the win score reads.
    private static let winScoreSettings =
        "'weights.activation_7d', 'weights.retention_30d', 'weights.speed', 'speed_horizon_minutes'"

    /// A timestamp trigger for outside writers: an UPDATE that changes neither `engine_writes` nor the timestamp
    /// gets the current UTC time.
    private static func timestampTrigger(_ name: String, table: String, column: String, key: String) -> String {
        """
        CREATE TRIGGER \(name) AFTER UPDATE ON \(table)
        WHEN NEW.engine_writes IS OLD.engine_writes AND NEW.\(column) IS OLD.\(column)
        BEGIN
          UPDATE \(table) SET \(column) = \(nowSQL) WHERE \(key) = NEW.\(key);
        END;

        """
    }

    static var openDatabaseSQL: String {
        var sql = """
            DROP TRIGGER IF EXISTS flow_pattern_win_score_on_insert;
            DROP TRIGGER IF EXISTS update_flow_pattern_timestamp;
            DROP TRIGGER IF EXISTS update_flow_assignment_timestamp;
            DROP TRIGGER IF EXISTS update_journey_metrics_timestamp;
            DROP TRIGGER IF EXISTS update_journey_state_timestamp;

            """
        sql += rebuilds.map(\.sql).joined()
        sql += """
            CREATE UNIQUE INDEX onboarding_flow_patterns_one_champion
              ON onboarding_flow_patterns (persona) WHERE is_champion = 1;
            CREATE INDEX onboarding_flow_assignments_by_time ON onboarding_flow_assignments (assigned_at);
            CREATE INDEX onboarding_events_by_user ON onboarding_events (user_id);

            CREATE TABLE onboarding_job_leases (
              job_type TEXT PRIMARY KEY NOT NULL,
              owner TEXT NOT NULL,
              job_id TEXT,
              \(time("acquired_at", required: true)),
              \(time("heartbeat_at", required: true)),
              \(time("expires_at", required: true))
            );

            CREATE TRIGGER flow_pattern_win_score_on_insert AFTER INSERT ON onboarding_flow_patterns
            BEGIN
              UPDATE onboarding_flow_patterns SET win_score = \(winScoreExpression) WHERE id = NEW.id;
            END;
            CREATE TRIGGER update_flow_pattern_timestamp AFTER UPDATE OF \(patternDataColumns) ON onboarding_flow_patterns
            BEGIN
              UPDATE onboarding_flow_patterns
                 SET win_score = \(winScoreExpression),
                     updated_at = CASE WHEN NEW.engine_writes IS OLD.engine_writes AND NEW.updated_at IS OLD.updated_at
                                       THEN \(nowSQL) ELSE NEW.updated_at END
               WHERE id = NEW.id;
            END;
            CREATE TRIGGER flow_pattern_win_score_on_write AFTER UPDATE OF win_score ON onboarding_flow_patterns
            WHEN NEW.win_score IS NOT (\(winScoreExpression))
            BEGIN
              UPDATE onboarding_flow_patterns SET win_score = \(winScoreExpression) WHERE id = NEW.id;
            END;
            CREATE TRIGGER engine_settings_win_score_weights AFTER UPDATE OF value ON engine_settings
            WHEN NEW.key IN (\(winScoreSettings)) AND NEW.value IS NOT OLD.value
            BEGIN
              UPDATE onboarding_flow_patterns SET win_score = \(winScoreExpression(row: ""));
            END;

            """
        sql += timestampTrigger(
            "update_flow_assignment_timestamp", table: "onboarding_flow_assignments", column: "last_updated", key: "id")
        sql += timestampTrigger(
            "update_journey_metrics_timestamp", table: "onboarding_journey_metrics", column: "updated_at",
            key: "user_id")
        sql += timestampTrigger(
            "update_journey_state_timestamp", table: "onboarding_journey_state", column: "updated_at", key: "user_id")
        return sql
    }
}
