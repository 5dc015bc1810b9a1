-- PostgreSQL twin of ../007_care.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- The server's country, for help lines that fit it, and the content-note kinds it leaves out.
ALTER TABLE guild_settings ADD COLUMN country TEXT;
-- Space-separated content-note ids (content/notes.toml); empty means none left out.
ALTER TABLE guild_settings ADD COLUMN excluded_notes TEXT NOT NULL DEFAULT '';
