-- The role a server chose to mention with each daily prompt; no row: nobody is mentioned.
CREATE TABLE prompt_ping_roles (
    guild_id INTEGER PRIMARY KEY,
    role_id  INTEGER NOT NULL
);
