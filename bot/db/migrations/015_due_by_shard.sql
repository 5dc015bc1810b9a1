-- Due work by shard: each process reads only its own servers' due rows (bot/db/shards.py).
-- The due indexes gain guild_id, so the shard filter is evaluated on the index entries and a
-- process never reads the table rows of servers on other processes' shards.
DROP INDEX prompt_schedules_due;
CREATE INDEX prompt_schedules_due ON prompt_schedules (next_run_utc, guild_id)
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
