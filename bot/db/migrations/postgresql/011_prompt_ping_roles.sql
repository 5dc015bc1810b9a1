-- PostgreSQL twin of ../011_prompt_ping_roles.sql: Discord ids and unix seconds are BIGINT, row ids identities.
-- The role a server chose to mention with each daily prompt; no row: nobody is mentioned.
CREATE TABLE prompt_ping_roles (
    guild_id BIGINT PRIMARY KEY,
    role_id  BIGINT NOT NULL
);
