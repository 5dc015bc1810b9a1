-- Facilitated discussions, anonymous questions, blocks and the question rate limit.
-- No raw member id is stored anywhere here: askers are keyed hashes (see bot/services/privacy.py).

CREATE TABLE discussions (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    channel_id          INTEGER NOT NULL,  -- the text or forum channel the thread opens in
    thread_id           INTEGER,           -- set once the thread exists
    state               TEXT NOT NULL
        CHECK (state IN ('scheduled', 'opening', 'open', 'closed', 'cancelled', 'failed')),
    source_kind         TEXT NOT NULL CHECK (source_kind IN ('topic', 'excerpt', 'prompt')),
    source_id           TEXT NOT NULL,
    guide_id            TEXT,
    title               TEXT NOT NULL,
    duration_minutes    INTEGER NOT NULL CHECK (duration_minutes > 0),
    slowmode_seconds    INTEGER NOT NULL DEFAULT 0,
    timezone            TEXT,
    starts_at           TEXT,              -- UTC; scheduled discussions only
    remind_at           TEXT,              -- UTC; cleared once the reminder is sent
    announce_message_id INTEGER,
    opened_at           TEXT,              -- UTC
    close_at            TEXT,              -- UTC; when an open discussion closes by itself
    closed_at           TEXT,              -- UTC
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
-- The timers read these partial indexes: only rows that can still fall due are in them.
CREATE INDEX discussions_close_due ON discussions (close_at) WHERE state = 'open';
CREATE INDEX discussions_start_due ON discussions (starts_at) WHERE state = 'scheduled';
CREATE INDEX discussions_remind_due ON discussions (remind_at) WHERE state = 'scheduled';
CREATE INDEX discussions_by_guild ON discussions (guild_id, state);
CREATE UNIQUE INDEX discussions_by_thread ON discussions (thread_id) WHERE thread_id IS NOT NULL;

-- asker_key: HMAC(secret, "discussion:<id>" + user id): the pseudonym, stable in one discussion.
-- block_key: HMAC(secret, "block:<guild id>" + user id): what a block stores, so a pseudonym can
-- be blocked without anyone learning who it was. text is kept only while a question waits for
-- review; once relayed it lives in the thread, and once decided it is cleared.
CREATE TABLE discussion_questions (
    id                INTEGER PRIMARY KEY,
    discussion_id     INTEGER NOT NULL REFERENCES discussions (id) ON DELETE CASCADE,
    guild_id          INTEGER NOT NULL,
    asker_key         TEXT NOT NULL,
    block_key         TEXT NOT NULL,
    pseudonym         TEXT NOT NULL,
    status            TEXT NOT NULL
        CHECK (status IN ('pending', 'relaying', 'relayed', 'rejected', 'removed', 'expired')),
    text              TEXT,
    message_id        INTEGER,
    review_channel_id INTEGER,
    review_message_id INTEGER,
    created_at        TEXT NOT NULL,
    decided_at        TEXT
);
CREATE INDEX discussion_questions_by_discussion ON discussion_questions (discussion_id, status);
CREATE INDEX discussion_questions_by_block_key ON discussion_questions (guild_id, block_key);
CREATE INDEX discussion_questions_pending ON discussion_questions (guild_id) WHERE status = 'pending';

CREATE TABLE anonymous_blocks (
    guild_id   INTEGER NOT NULL,
    block_key  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, block_key)
) WITHOUT ROWID;

-- rate_key: HMAC(secret, "ask-rate:<guild id>" + user id). Rows older than the window are pruned.
CREATE TABLE anonymous_question_times (
    guild_id INTEGER NOT NULL,
    rate_key TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX anonymous_question_times_by_key ON anonymous_question_times (guild_id, rate_key, asked_at);
CREATE INDEX anonymous_question_times_by_time ON anonymous_question_times (asked_at);
