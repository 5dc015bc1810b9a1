-- PostgreSQL twin of ../005_selfcheck_counted.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- Self-check sessions already counted in selfcheck_completions, so a result shown again (a double
-- click, Back then forward, or after a restart) counts once. session_token is a keyed hash (HMAC
-- with the bot's secret, scope "selfcheck-counted") of the session's custom-id state: it holds no
-- member id and no time, and cannot be turned back into either. `day` (UTC) is only there so rows
-- are pruned a couple of days later, long after their sessions expired.
CREATE TABLE selfcheck_counted_sessions (
    session_token TEXT PRIMARY KEY,
    guild_id      BIGINT NOT NULL,
    day           TEXT NOT NULL             -- YYYY-MM-DD (UTC)
);
CREATE INDEX selfcheck_counted_sessions_by_day ON selfcheck_counted_sessions (day);
