-- PostgreSQL twin of ../016_rotation_place.sql.
-- A server's place in its prompt rotation, kept apart from the shuffled order: a pick writes
-- this small row, where it used to rewrite the whole order (a few KB) for every prompt posted.
-- reached: how many keys at the start of the order this cycle has used; used: any it used past
-- them (a key taken out of turn, as a queued prompt is), newline-separated in the order's order.
CREATE TABLE prompt_rotation_place (
    guild_id  BIGINT PRIMARY KEY,
    reached   INTEGER NOT NULL DEFAULT 0,
    used      TEXT    NOT NULL DEFAULT ''
);

-- deck: a fingerprint of the order's set of keys, so a pick can tell whether every eligible
-- prompt is in the order without reading the order key by key. NULL until the order is next
-- written (the first pick after this migration writes it).
ALTER TABLE prompt_rotation ADD COLUMN deck TEXT;

-- The used keys were kept in the order's order: when they are its start (as they nearly always
-- are) they become a count; otherwise they stay a list, with nothing counted as reached.
INSERT INTO prompt_rotation_place (guild_id, reached, used)
SELECT guild_id,
       CASE WHEN used <> ''
                 AND substr(sequence || chr(10), 1, length(used) + 1) = used || chr(10)
            THEN length(used) - length(replace(used, chr(10), '')) + 1
            ELSE 0 END,
       CASE WHEN substr(sequence || chr(10), 1, length(used) + 1) = used || chr(10)
            THEN '' ELSE used END
FROM prompt_rotation;

-- prompt_rotation.used is no longer read: what a cycle used lives in prompt_rotation_place.
UPDATE prompt_rotation SET used = '';
