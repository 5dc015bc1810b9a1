-- Prompts a server's moderators chose to post next, ahead of the rotation, in the order queued.
-- A row is deleted in the same transaction that claims the post it was used for.
CREATE TABLE prompt_queue (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    prompt_key TEXT    NOT NULL,                  -- built-in prompt id, or 'c:<custom id>'
    UNIQUE (guild_id, prompt_key)
);
CREATE INDEX prompt_queue_guild ON prompt_queue (guild_id, id);
