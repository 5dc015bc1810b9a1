-- Per-server settings. Absent rows mean the registered defaults in bot/db/settings.py.
CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    facilitator_role_id INTEGER,
    log_channel_id      INTEGER,
    ground_rules        TEXT,
    resources_text      TEXT,
    anonymous_mode      TEXT NOT NULL DEFAULT 'reviewed'
        CHECK (anonymous_mode IN ('off', 'direct', 'reviewed')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
