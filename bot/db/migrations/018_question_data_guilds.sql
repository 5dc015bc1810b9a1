-- Which servers hold anonymous-question rows under each kind of member key ('block': questions
-- and blocks; 'rate': question times; 'report': reports), so /mydata makes a member's keys only
-- there with one small read instead of a walk of four indexes a server at a time. A server is
-- noted before its first row of a kind is written, and the note stays when the rows expire: a
-- note without rows costs a few keys made for nothing, a row without its note would be a row
-- /mydata cannot find. Notes go with the rest of a server's data.
CREATE TABLE question_data_guilds (
    kind     TEXT NOT NULL,
    guild_id INTEGER NOT NULL,
    PRIMARY KEY (kind, guild_id)
);
INSERT INTO question_data_guilds (kind, guild_id)
    SELECT 'block', guild_id FROM discussion_questions
    UNION SELECT 'block', guild_id FROM anonymous_blocks
    UNION SELECT 'rate', guild_id FROM anonymous_question_times
    UNION SELECT 'report', guild_id FROM question_reports;
