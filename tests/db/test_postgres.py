"""What only the PostgreSQL seam does: numbered placeholders, the schema version in a table, a
newer schema refused, migrations and transactions serialised across processes."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import DatabaseTooNewError
from bot.db.connection import available_migrations
from bot.db.postgres import SCHEMA_TABLE, PostgresDatabase, numbered, redacted


def test_placeholders_are_numbered_outside_quotes() -> None:
    sql = "SELECT ? , '?', \"a?\" FROM t WHERE x = ? AND y IN (?, ?)"
    assert numbered(sql) == "SELECT $1 , '?', \"a?\" FROM t WHERE x = $2 AND y IN ($3, $4)"
    assert numbered("SELECT 1") == "SELECT 1"


def test_a_password_never_leaves_the_url() -> None:
    url = "postgresql://mutual:s3cret@db.example:5433/mutual?sslmode=require"
    shown = redacted(url)
    assert "s3cret" not in shown
    assert shown == "postgresql://mutual:***@db.example:5433/mutual?sslmode=require"
    assert redacted("postgresql://db.example/mutual") == "postgresql://db.example/mutual"


async def test_migrations_apply_once_and_the_version_lives_in_a_table(
    fresh_postgres_url: str,
) -> None:
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.user_version() == 0
        latest = len(available_migrations("postgresql"))
        assert await db.migrate() == latest
        assert await db.user_version() == latest
        assert await db.migrate() == 0
        tables = await db.table_names()
        assert "guild_settings" in tables and SCHEMA_TABLE not in tables
        assert (await db.server_version()).startswith("PostgreSQL ")
    finally:
        await db.close()


async def test_a_newer_schema_is_refused(fresh_postgres_url: str) -> None:
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        await db.migrate()
        await db.execute(f"UPDATE {SCHEMA_TABLE} SET version = 999")
        with pytest.raises(DatabaseTooNewError, match="999"):
            await db.migrate()
    finally:
        await db.close()


async def test_processes_starting_together_apply_each_migration_once(
    fresh_postgres_url: str,
) -> None:
    """Two pools stand for two processes: the advisory lock lets one migrate, the other
    finds the work done (without it both would run 001 and one would fail on its tables)."""
    first, second = [
        await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2) for _ in range(2)
    ]
    try:
        applied = await asyncio.gather(first.migrate(), second.migrate())
        assert sorted(applied) == [0, len(available_migrations("postgresql"))]
        assert await second.user_version() == await first.user_version()
    finally:
        await first.close()
        await second.close()


async def test_transactions_run_one_at_a_time_across_processes(fresh_postgres_url: str) -> None:
    """Read, decide, write: each transaction sees the last one's write, as on SQLite."""
    pools = [
        await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=4) for _ in range(2)
    ]
    try:
        await pools[0].execute("CREATE TABLE counter (n BIGINT NOT NULL)")
        await pools[0].execute("INSERT INTO counter (n) VALUES (0)")

        async def bump(db: PostgresDatabase) -> None:
            async with db.transaction() as tx:
                row = await tx.fetchone("SELECT n FROM counter")
                assert row is not None
                await asyncio.sleep(0)  # let the other side run in between, if it may
                await tx.execute("UPDATE counter SET n = ?", (int(row[0]) + 1,))

        await asyncio.gather(*(bump(pools[i % 2]) for i in range(20)))
        assert await pools[0].fetchval("SELECT n FROM counter") == 20
    finally:
        for db in pools:
            await db.close()
