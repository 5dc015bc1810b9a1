-- PostgreSQL twin of ../009_guild_departures.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- Servers the bot was removed from, and when. Their data is deleted once the retention period
-- (MUTUAL_GUILD_RETENTION_DAYS) has passed, unless the bot is added back first; then the row goes.
CREATE TABLE guild_departures (
    guild_id BIGINT PRIMARY KEY,
    left_at  TEXT NOT NULL                     -- UTC, ISO 8601
);
CREATE INDEX guild_departures_by_time ON guild_departures (left_at);
