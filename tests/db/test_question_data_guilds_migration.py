"""Migration 018: the servers already holding question data are noted, so /mydata finds them."""

import sqlite3
from pathlib import Path

import asyncpg

from bot.db import Database
from bot.db import question_personal_data as repo
from bot.db.postgres import SCHEMA_TABLE, PostgresDatabase
from bot.db.schema import available_migrations
from bot.db.storage import Storage

OLD_ROWS = [
    """INSERT INTO discussions (id, guild_id, channel_id, state, source_kind, source_id, title,
           duration_minutes) VALUES (1, 10, 1, 'open', 'topic', 't', 'T', 60),
           (2, 20, 1, 'open', 'topic', 't', 'T', 60)""",
    """INSERT INTO discussion_questions (id, discussion_id, guild_id, asker_key, block_key,
           pseudonym, status, created_at) VALUES
           (1, 1, 10, 'a', 'b', 'Guest', 'pending', '2026-03-01T12:00:00Z'),
           (2, 1, 10, 'a2', 'b2', 'Guest', 'relayed', '2026-03-01T12:00:00Z'),
           (3, 2, 20, 'a', 'b', 'Guest', 'relayed', '2026-03-01T12:00:00Z')""",
    "INSERT INTO anonymous_blocks VALUES (30, 'b', '2026-03-01T12:00:00Z')",
    "INSERT INTO anonymous_question_times VALUES (40, 'r', '2026-03-01T12:00:00Z')",
    "INSERT INTO question_reports VALUES (3, 20, 'p', '2026-03-01T12:00:00Z')",
]
NOTED = repo.KeyedGuilds([10, 20, 30], [40], [20])


async def test_servers_with_question_data_are_noted_by_migration_018(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for version, _name, sql in available_migrations():
        if version > 17:
            break
        conn.executescript(f"BEGIN;\n{sql}\n;PRAGMA user_version = {version};\nCOMMIT;")
    conn.executescript(";\n".join(OLD_ROWS))
    conn.close()
    db: Storage = await Database.open(path)
    try:
        assert await db.migrate() == len(available_migrations()) - 17
        assert await repo.keyed_guilds(db) == NOTED
    finally:
        await db.close()


async def test_postgresql_notes_servers_with_question_data_in_migration_018(
    fresh_postgres_url: str,
) -> None:
    conn = await asyncpg.connect(fresh_postgres_url)
    try:
        for version, _name, sql in available_migrations("postgresql"):
            if version > 17:
                break
            await conn.execute(sql)
        await conn.execute(f"CREATE TABLE {SCHEMA_TABLE} (version INTEGER NOT NULL)")
        await conn.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (17)")
        for statement in OLD_ROWS:
            await conn.execute(statement)
    finally:
        await conn.close()
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.migrate() == len(available_migrations("postgresql")) - 17
        assert await repo.keyed_guilds(db) == NOTED
    finally:
        await db.close()
