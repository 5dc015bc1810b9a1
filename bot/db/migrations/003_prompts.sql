-- Daily reflection prompts. Times are UTC unix seconds; local dates are ISO 'YYYY-MM-DD' in the
-- schedule's own timezone. The schedule row is the single source of truth for the next post.
CREATE TABLE prompt_schedules (
    guild_id         INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL,
    local_time       TEXT    NOT NULL,            -- 'HH:MM', 24 h
    timezone         TEXT    NOT NULL,            -- IANA name
    weekdays         INTEGER NOT NULL DEFAULT 127  -- bit 0 = Monday ... bit 6 = Sunday
        CHECK (weekdays BETWEEN 1 AND 127),
    use_thread       INTEGER NOT NULL DEFAULT 1,
    pin              INTEGER NOT NULL DEFAULT 0,
    with_excerpt     INTEGER NOT NULL DEFAULT 0,
    next_run_utc     INTEGER,                     -- NULL while paused without an end date
    next_local_date  TEXT,
    last_local_date  TEXT,
    paused_reason    TEXT,
    paused_until     TEXT,                        -- local date the pause ends, if any
    pause_notified   INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX prompt_schedules_due ON prompt_schedules (next_run_utc)
    WHERE next_run_utc IS NOT NULL;

-- One row per server and local date: the UNIQUE constraint is the exactly-once claim.
CREATE TABLE prompt_posts (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    local_date   TEXT    NOT NULL,
    channel_id   INTEGER NOT NULL,
    prompt_key   TEXT    NOT NULL,                -- built-in prompt id, or 'c:<custom id>'
    due_utc      INTEGER NOT NULL,
    claimed_utc  INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'claimed'
        CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
    message_id   INTEGER,
    UNIQUE (guild_id, local_date)
);
CREATE INDEX prompt_posts_unsent ON prompt_posts (due_utc) WHERE status = 'claimed';

-- The persisted shuffled order per server, and what this cycle already used.
CREATE TABLE prompt_rotation (
    guild_id  INTEGER PRIMARY KEY,
    sequence  TEXT NOT NULL,                      -- keys in shuffled order, newline separated
    used      TEXT NOT NULL DEFAULT ''            -- keys used in the current cycle
);

-- A server's own prompts: written by moderators or approved from members' suggestions.
CREATE TABLE prompt_custom (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    topic           TEXT,
    text            TEXT NOT NULL,
    content_warning TEXT,
    origin          TEXT NOT NULL DEFAULT 'moderator' CHECK (origin IN ('moderator', 'suggestion')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX prompt_custom_guild ON prompt_custom (guild_id);

CREATE TABLE prompt_excluded_topics (
    guild_id INTEGER NOT NULL,
    topic    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, topic)
) WITHOUT ROWID;

-- Members' suggestions waiting for review. The suggester is kept only as a keyed hash, so they
-- can see and delete their pending suggestions with /mydata; it is dropped once reviewed.
CREATE TABLE prompt_suggestions (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    member_key      TEXT,
    text            TEXT NOT NULL,
    content_warning TEXT,
    status          TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX prompt_suggestions_queue ON prompt_suggestions (guild_id, status, id);
CREATE INDEX prompt_suggestions_member ON prompt_suggestions (member_key)
    WHERE member_key IS NOT NULL;
