-- PostgreSQL twin of ../015_due_by_shard.sql: the due indexes gain guild_id, so each process's
-- shard filter is evaluated on the index entries; the schedules' index also carries the id the
-- dispatcher reads, so finding due schedules needs no table rows.
DROP INDEX prompt_schedules_due;
CREATE INDEX prompt_schedules_due ON prompt_schedules (next_run_utc, guild_id) INCLUDE (id)
    WHERE next_run_utc IS NOT NULL;
DROP INDEX prompt_posts_unsent;
CREATE INDEX prompt_posts_unsent ON prompt_posts (due_utc, guild_id) WHERE status = 'claimed';
DROP INDEX discussions_close_due;
CREATE INDEX discussions_close_due ON discussions (close_at, guild_id) WHERE state = 'open';
DROP INDEX discussions_start_due;
CREATE INDEX discussions_start_due ON discussions (starts_at, guild_id) WHERE state = 'scheduled';
DROP INDEX discussions_remind_due;
CREATE INDEX discussions_remind_due ON discussions (remind_at, guild_id)
    WHERE state = 'scheduled';
