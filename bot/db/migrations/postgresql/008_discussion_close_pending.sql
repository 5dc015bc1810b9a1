-- PostgreSQL twin of ../008_discussion_close_pending.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- A close is claimed (state 'closed') before its summary is posted and the thread is locked.
-- close_pending stays 1 until that is done, so a restart finishes a close a stop interrupted.
ALTER TABLE discussions ADD COLUMN close_pending INTEGER NOT NULL DEFAULT 0;
