-- PostgreSQL twin of ../010_server_language.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- The language of a server's public posts (a Discord locale code); NULL: the server's preferred
-- locale as Discord reports it, then English.
ALTER TABLE guild_settings ADD COLUMN language TEXT;
