-- PostgreSQL twin of ../013_question_reports.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- Members' reports of relayed anonymous questions. The reporter is a server-scoped keyed hash,
-- so one member reporting a question twice counts once and no one can tell who reported.
CREATE TABLE question_reports (
    question_id  BIGINT NOT NULL REFERENCES discussion_questions(id) ON DELETE CASCADE,
    guild_id     BIGINT NOT NULL,
    reporter_key TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (question_id, reporter_key)
);
CREATE INDEX question_reports_by_reporter ON question_reports (guild_id, reporter_key);
