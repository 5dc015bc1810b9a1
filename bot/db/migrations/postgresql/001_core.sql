-- PostgreSQL twin of ../001_core.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- Per-server settings. Absent rows mean the registered defaults in bot/db/settings.py.
CREATE TABLE guild_settings (
    guild_id            BIGINT PRIMARY KEY,
    facilitator_role_id BIGINT,
    log_channel_id      BIGINT,
    ground_rules        TEXT,
    resources_text      TEXT,
    anonymous_mode      TEXT NOT NULL DEFAULT 'reviewed'
        CHECK (anonymous_mode IN ('off', 'direct', 'reviewed')),
    updated_at          TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
