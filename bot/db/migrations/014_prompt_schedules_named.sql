-- Several named schedules per server (a weekday channel and a weekend one, say). A schedule gets
-- its own id; (guild_id, name) is unique. Every existing schedule becomes the server's "daily".
-- Posts are claimed per schedule and local date: UNIQUE (guild_id, schedule_name, local_date) is
-- the exactly-once claim. The name, not the id, keys the claim, so a schedule stopped and set up
-- again under the same name on the same day still posts once. Plain statements, so the same
-- steps carry over to PostgreSQL (create, copy, drop, rename).
CREATE TABLE prompt_schedules_named (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    name             TEXT    NOT NULL DEFAULT 'daily',
    channel_id       INTEGER NOT NULL,
    local_time       TEXT    NOT NULL,
    timezone         TEXT    NOT NULL,
    weekdays         INTEGER NOT NULL DEFAULT 127
        CHECK (weekdays BETWEEN 1 AND 127),
    use_thread       INTEGER NOT NULL DEFAULT 1,
    pin              INTEGER NOT NULL DEFAULT 0,
    with_excerpt     INTEGER NOT NULL DEFAULT 0,
    next_run_utc     INTEGER,
    next_local_date  TEXT,
    last_local_date  TEXT,
    paused_reason    TEXT,
    paused_until     TEXT,
    pause_notified   INTEGER NOT NULL DEFAULT 0,
    topics           TEXT,                        -- newline-separated topic ids; NULL: every topic
    updated_at       TEXT    NOT NULL DEFAULT '',
    UNIQUE (guild_id, name)
);
INSERT INTO prompt_schedules_named (
    guild_id, name, channel_id, local_time, timezone, weekdays, use_thread, pin, with_excerpt,
    next_run_utc, next_local_date, last_local_date, paused_reason, paused_until, pause_notified,
    updated_at)
SELECT guild_id, 'daily', channel_id, local_time, timezone, weekdays, use_thread, pin,
       with_excerpt, next_run_utc, next_local_date, last_local_date, paused_reason, paused_until,
       pause_notified, updated_at
FROM prompt_schedules ORDER BY guild_id;
DROP INDEX prompt_schedules_due;
DROP TABLE prompt_schedules;
ALTER TABLE prompt_schedules_named RENAME TO prompt_schedules;
CREATE INDEX prompt_schedules_due ON prompt_schedules (next_run_utc)
    WHERE next_run_utc IS NOT NULL;

CREATE TABLE prompt_posts_named (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    schedule_name  TEXT    NOT NULL DEFAULT 'daily',
    local_date     TEXT    NOT NULL,
    channel_id     INTEGER NOT NULL,
    prompt_key     TEXT    NOT NULL,
    due_utc        INTEGER NOT NULL,
    claimed_utc    INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'claimed'
        CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
    message_id     INTEGER,
    UNIQUE (guild_id, schedule_name, local_date)
);
INSERT INTO prompt_posts_named (
    id, guild_id, schedule_name, local_date, channel_id, prompt_key, due_utc, claimed_utc, status,
    message_id)
SELECT id, guild_id, 'daily', local_date, channel_id, prompt_key, due_utc, claimed_utc, status,
       message_id
FROM prompt_posts ORDER BY id;
DROP INDEX prompt_posts_unsent;
DROP TABLE prompt_posts;
ALTER TABLE prompt_posts_named RENAME TO prompt_posts;
CREATE INDEX prompt_posts_unsent ON prompt_posts (due_utc) WHERE status = 'claimed';
CREATE INDEX prompt_posts_day ON prompt_posts (guild_id, local_date);
