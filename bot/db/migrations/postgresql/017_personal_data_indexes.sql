-- PostgreSQL twin of ../017_personal_data_indexes.sql: /mydata counts a member's questions by
-- status from the (server, block key) index entries alone.
DROP INDEX discussion_questions_by_block_key;
CREATE INDEX discussion_questions_by_block_key
    ON discussion_questions (guild_id, block_key, status);
