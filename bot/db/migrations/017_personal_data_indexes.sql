-- A member's questions are found by (server, block key) pair, and /mydata counts them by
-- status: with the status in the index entry, counting reads no table row.
DROP INDEX discussion_questions_by_block_key;
CREATE INDEX discussion_questions_by_block_key
    ON discussion_questions (guild_id, block_key, status);
