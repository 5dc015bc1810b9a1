-- PostgreSQL twin of ../018_question_data_guilds.sql: Discord ids are BIGINT.
-- Which servers hold anonymous-question rows under each kind of member key, so /mydata makes a
-- member's keys only there; a note may outlive its rows, never the other way round.
CREATE TABLE question_data_guilds (
    kind     TEXT NOT NULL,
    guild_id BIGINT NOT NULL,
    PRIMARY KEY (kind, guild_id)
);
INSERT INTO question_data_guilds (kind, guild_id)
    SELECT 'block', guild_id FROM discussion_questions
    UNION SELECT 'block', guild_id FROM anonymous_blocks
    UNION SELECT 'rate', guild_id FROM anonymous_question_times
    UNION SELECT 'report', guild_id FROM question_reports;
