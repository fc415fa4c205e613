import GRDB

/// The engine's SQLite schema as frozen, named migrations (SPEC §1.2).
///
/// Migrations are never edited once shipped; a schema change is a new migration appended here.
///
/// `v1-engine-schema` stored times as INTEGER minutes and its triggers called `engine_now()`, a function only the
/// lab's own connections defined. `v2-open-database` makes the database open to any SQLite client: times are
/// ISO 8601 UTC text (`2026-11-27T09:30:00Z`, checked by a GLOB so that text order is time order), and the
/// triggers use only SQLite's own functions. The engine writes every time explicitly (the simulator's clock is
/// not the wall clock): each of its UPDATEs increments the row's `engine_writes`, and a timestamp trigger fires only
/// for an UPDATE that changes neither `engine_writes` nor the timestamp — an outside writer's — and then sets
/// the timestamp to the current UTC time. `win_score` is recomputed by a trigger on every insert and every update
/// of a pattern, and for every pattern when a weight or the speed horizon changes in `engine_settings`.
enum EngineSchema {
    /// The seed's win score (SPEC §1.3) in SQL, over the pattern row `row` (`NEW.` in a row trigger, empty in an
    /// UPDATE of every pattern). Frozen in v1; v2 uses it unchanged.
    static func winScoreExpression(row: String) -> String {
        """
        COALESCE((SELECT value FROM engine_settings WHERE key = 'weights.activation_7d'), 0.5) * \(row)win_rate_7d
          + COALESCE((SELECT value FROM engine_settings WHERE key = 'weights.retention_30d'), 0.3) * \(row)win_rate_30d
          + COALESCE((SELECT value FROM engine_settings WHERE key = 'weights.speed'), 0.2)
            * (CASE WHEN \(row)avg_time_to_first_win_minutes IS NULL THEN 0.0
                    ELSE 1.0 - min(\(row)avg_time_to_first_win_minutes
                                   / COALESCE((SELECT value FROM engine_settings WHERE key = 'speed_horizon_minutes'), 1440.0), 1.0)
               END)
        """
    }

    static let winScoreExpression = winScoreExpression(row: "NEW.")

    /// The current UTC time in the form the v2 schema stores (SQLite's own function).
    static let nowSQL = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

    /// The CHECK every v2 time column carries: exactly `YYYY-MM-DDTHH:MM:SSZ`.
    static func timeCheck(_ column: String) -> String {
        "CHECK (\(column) IS NULL OR \(column) GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z')"
    }

    /// v1 INTEGER minutes → v2 text (NULL stays NULL).
    static func fromMinutes(_ column: String) -> String {
        "strftime('%Y-%m-%dT%H:%M:%SZ', \(column) * 60, 'unixepoch')"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-engine-schema") { db in
            try db.execute(
                sql: """
                    CREATE TABLE engine_settings (
                      key TEXT PRIMARY KEY NOT NULL,
                      value
                    );
                    CREATE TABLE onboarding_flow_patterns (
                      id TEXT PRIMARY KEY NOT NULL,
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
                      last_champion_at INTEGER,
                      elected_win_score REAL,
                      last_observed_at INTEGER,
                      created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL,
                      UNIQUE (persona, flow_id)
                    );
                    CREATE UNIQUE INDEX onboarding_flow_patterns_one_champion
                      ON onboarding_flow_patterns (persona) WHERE is_champion = 1;
                    CREATE TABLE onboarding_flow_assignments (
                      id TEXT PRIMARY KEY NOT NULL,
                      user_id TEXT NOT NULL UNIQUE,
                      persona TEXT NOT NULL,
                      flow_id TEXT NOT NULL,
                      assigned_at INTEGER NOT NULL,
                      mode TEXT NOT NULL CHECK (mode IN ('explore', 'exploit', 'holdback')),
                      activated_7d INTEGER NOT NULL DEFAULT 0 CHECK (activated_7d IN (0, 1)),
                      retained_30d INTEGER NOT NULL DEFAULT 0 CHECK (retained_30d IN (0, 1)),
                      upgraded INTEGER NOT NULL DEFAULT 0 CHECK (upgraded IN (0, 1)),
                      last_updated INTEGER NOT NULL
                    );
                    CREATE INDEX onboarding_flow_assignments_by_time ON onboarding_flow_assignments (assigned_at);
                    CREATE TABLE onboarding_journey_metrics (
                      user_id TEXT PRIMARY KEY NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      activated_7d INTEGER NOT NULL DEFAULT 0 CHECK (activated_7d IN (0, 1)),
                      retained_30d INTEGER NOT NULL DEFAULT 0 CHECK (retained_30d IN (0, 1)),
                      upgraded INTEGER NOT NULL DEFAULT 0 CHECK (upgraded IN (0, 1)),
                      time_to_first_win_minutes INTEGER,
                      first_aha_moment_at INTEGER,
                      activation_event TEXT,
                      completion_rate REAL NOT NULL DEFAULT 0,
                      created_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE onboarding_learning_jobs (
                      id TEXT PRIMARY KEY NOT NULL,
                      job_type TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                      patterns_discovered INTEGER NOT NULL DEFAULT 0,
                      champions_updated INTEGER NOT NULL DEFAULT 0,
                      error_message TEXT,
                      metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
                      started_at INTEGER NOT NULL,
                      completed_at INTEGER
                    );
                    CREATE TABLE onboarding_personalization (
                      user_id TEXT PRIMARY KEY NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      persona TEXT NOT NULL,
                      chosen_variant TEXT NOT NULL,
                      flow_id TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE onboarding_journey_state (
                      user_id TEXT PRIMARY KEY NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      step_order TEXT NOT NULL CHECK (json_valid(step_order)),
                      completed_steps TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(completed_steps)),
                      started_at INTEGER NOT NULL,
                      updated_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE onboarding_events (
                      id INTEGER PRIMARY KEY,
                      user_id TEXT NOT NULL REFERENCES onboarding_flow_assignments (user_id) ON DELETE CASCADE,
                      event_type TEXT NOT NULL,
                      occurred_at INTEGER NOT NULL,
                      metadata TEXT
                    );
                    CREATE INDEX onboarding_events_by_user ON onboarding_events (user_id);
                    CREATE TABLE orchestrator_events (
                      id TEXT PRIMARY KEY NOT NULL,
                      event_type TEXT NOT NULL,
                      persona TEXT,
                      payload TEXT NOT NULL CHECK (json_valid(payload)),
                      occurred_at INTEGER NOT NULL
                    );

                    CREATE TRIGGER flow_pattern_win_score_on_insert AFTER INSERT ON onboarding_flow_patterns
                    BEGIN
                      UPDATE onboarding_flow_patterns SET win_score = \(winScoreExpression) WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER update_flow_pattern_timestamp AFTER UPDATE ON onboarding_flow_patterns
                    BEGIN
                      UPDATE onboarding_flow_patterns
                         SET win_score = \(winScoreExpression), updated_at = engine_now()
                       WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER update_flow_assignment_timestamp AFTER UPDATE ON onboarding_flow_assignments
                    WHEN NEW.last_updated = OLD.last_updated
                    BEGIN
                      UPDATE onboarding_flow_assignments SET last_updated = engine_now() WHERE id = NEW.id;
                    END;
                    CREATE TRIGGER update_journey_metrics_timestamp AFTER UPDATE ON onboarding_journey_metrics
                    WHEN NEW.updated_at = OLD.updated_at
                    BEGIN
                      UPDATE onboarding_journey_metrics SET updated_at = engine_now() WHERE user_id = NEW.user_id;
                    END;
                    CREATE TRIGGER update_journey_state_timestamp AFTER UPDATE ON onboarding_journey_state
                    WHEN NEW.updated_at = OLD.updated_at
                    BEGIN
                      UPDATE onboarding_journey_state SET updated_at = engine_now() WHERE user_id = NEW.user_id;
                    END;
                    """)
        }
        migrator.registerMigration("v2-open-database") { db in try db.execute(sql: openDatabaseSQL) }
        return migrator
    }

    /// Tables every engine database has (used to tell an engine database from another SQLite file).
    static let tables = [
        "engine_settings", "onboarding_flow_patterns", "onboarding_flow_assignments", "onboarding_journey_metrics",
        "onboarding_learning_jobs", "onboarding_personalization", "onboarding_journey_state", "onboarding_events",
        "orchestrator_events",
    ]

    /// Tables `v2-open-database` adds.
    static let v2Tables = ["onboarding_job_leases"]
}
