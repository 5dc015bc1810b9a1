"""Migration 018: the servers already holding question data are noted, so /mydata finds them."""

from pathlib import Path

from bot.db import Database
from bot.db import question_personal_data as repo
from bot.db.postgres import PostgresDatabase
from bot.db.storage import Storage
from tests.db.old_schema import newer_than, postgres_at, sqlite_at

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
    sqlite_at(path, 17, OLD_ROWS)
    db: Storage = await Database.open(path)
    try:
        assert await db.migrate() == newer_than(17)
        assert await repo.keyed_guilds(db) == NOTED
    finally:
        await db.close()


async def test_postgresql_notes_servers_with_question_data_in_migration_018(
    fresh_postgres_url: str,
) -> None:
    await postgres_at(fresh_postgres_url, 17, OLD_ROWS)
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.migrate() == newer_than(17, "postgresql")
        assert await repo.keyed_guilds(db) == NOTED
    finally:
        await db.close()
