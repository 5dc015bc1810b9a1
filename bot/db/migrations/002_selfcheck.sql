-- Self-checks. Answers are never stored. A member's saved results are filed under a keyed hash
-- (HMAC of the user id, scope "selfcheck-history"); the day is kept, never the time, and the
-- save token (a keyed hash of the session) only exists so a double-clicked Save stores once.
CREATE TABLE selfcheck_history (
    id          INTEGER PRIMARY KEY,
    member_key  TEXT NOT NULL,
    instrument  TEXT NOT NULL,
    taken_on    TEXT NOT NULL,          -- YYYY-MM-DD (UTC)
    save_token  TEXT NOT NULL,
    scores      TEXT NOT NULL,          -- JSON object: dimension id -> 0..100 (skipped: absent)
    UNIQUE (member_key, instrument, save_token)
);
CREATE INDEX selfcheck_history_by_member ON selfcheck_history (member_key, instrument, taken_on);

-- Completions shown in a server, counted by day with no identity at all.
CREATE TABLE selfcheck_completions (
    guild_id    INTEGER NOT NULL,
    instrument  TEXT NOT NULL,
    day         TEXT NOT NULL,          -- YYYY-MM-DD (UTC)
    completions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, instrument, day)
) WITHOUT ROWID;

-- Sums and counts per dimension, so averages exist without keeping any single result.
CREATE TABLE selfcheck_dimension_sums (
    guild_id    INTEGER NOT NULL,
    instrument  TEXT NOT NULL,
    day         TEXT NOT NULL,
    dimension   TEXT NOT NULL,
    total       INTEGER NOT NULL DEFAULT 0,
    answered    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, instrument, day, dimension)
) WITHOUT ROWID;
