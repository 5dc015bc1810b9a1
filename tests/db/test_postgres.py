"""What only the PostgreSQL seam does: numbered placeholders, the schema version in a table, a
newer schema refused, migrations and transactions serialised across processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import doctor
from bot.config import ConfigError, load_settings
from bot.db import DatabaseTooNewError
from bot.db.postgres import (
    SCHEMA_TABLE,
    DatabaseUnreachableError,
    PostgresDatabase,
    numbered,
    redacted,
)
from bot.db.schema import available_migrations
from tests.test_cli import run_cli


def test_placeholders_are_numbered_outside_quotes() -> None:
    sql = "SELECT ? , '?', \"a?\" FROM t WHERE x = ? AND y IN (?, ?)"
    assert numbered(sql) == "SELECT $1 , '?', \"a?\" FROM t WHERE x = $2 AND y IN ($3, $4)"
    assert numbered("SELECT 1") == "SELECT 1"
    assert numbered("SELECT ?1 WHERE a = ?1 OR b = ?2") == "SELECT $1 WHERE a = $1 OR b = $2"


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


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mysql://u:pw@host/db", "must start with postgresql://"),
        ("postgresql://u:pw@host:notaport/db", "not a valid URL"),
        ("postgresql://u:pw@/db", "names no server"),
        ("postgresql://u:pw@host", "names no database"),
    ],
)
def test_a_malformed_url_is_named_without_its_password(
    tmp_path: Path, url: str, problem: str
) -> None:
    env = {"MUTUAL_DATABASE": str(tmp_path / "m.db"), "MUTUAL_DATABASE_URL": url}
    with pytest.raises(ConfigError, match="MUTUAL_DATABASE_URL") as refused:
        load_settings(env, dotenv=None)
    assert problem in str(refused.value)
    assert "pw" not in str(refused.value)


def test_the_url_switches_storage_and_stays_out_of_repr(tmp_path: Path) -> None:
    env = {"MUTUAL_DATABASE": str(tmp_path / "m.db")}
    assert load_settings(env, dotenv=None).database_url is None
    env["MUTUAL_DATABASE_URL"] = "postgresql://mutual:hunter2@db.example/mutual"
    settings = load_settings(env, dotenv=None)
    assert settings.database_url == env["MUTUAL_DATABASE_URL"]
    assert "hunter2" not in repr(settings) and "hunter2" not in settings.database_where


def test_backup_on_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    url = "postgresql://mutual:hunter2@db.example/mutual"
    result = run_cli(
        "backup", str(tmp_path / "copy"), cwd=tmp_path, env={"MUTUAL_DATABASE_URL": url}
    )
    assert result.returncode == 2
    assert "pg_dump" in result.stderr and "pg_restore" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert not (tmp_path / "copy").exists()


async def test_doctor_names_the_server_and_schema_without_credentials(
    postgres_url: str, tmp_path: Path
) -> None:
    secret = "doctor-test-secret-000"
    settings = load_settings(
        {
            "MUTUAL_DATABASE": str(tmp_path / "m.db"),
            "MUTUAL_DATABASE_URL": postgres_url,
            "MUTUAL_SECRET": secret,
        },
        dotenv=None,
    )
    findings = await doctor._database(settings)
    latest = len(available_migrations("postgresql"))
    assert findings[0].verdict == doctor.OK, findings
    assert findings[0].detail.startswith("PostgreSQL ")
    assert f"schema {latest} of {latest}" in findings[0].detail


async def test_an_unreachable_server_is_one_line_without_its_password() -> None:
    with pytest.raises(DatabaseUnreachableError) as refused:
        await PostgresDatabase.open("postgresql://mutual:hunter2@127.0.0.1:1/mutual")
    assert "hunter2" not in str(refused.value)
    assert "MUTUAL_DATABASE_URL" in str(refused.value)


async def test_a_released_connection_keeps_no_lock_and_costs_no_reset_query(
    fresh_postgres_url: str,
) -> None:
    """The pool hands connections back without asyncpg's reset query (a second round trip per
    statement), so nothing may be left on them: migrations release their session lock, and the
    transactions' locks end with them."""
    import asyncpg

    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=1)
    watcher = await asyncpg.connect(fresh_postgres_url)
    try:
        await db.migrate()
        async with db.transaction() as tx:
            await tx.execute("CREATE TABLE seen (n INTEGER)")
        pid = await db.fetchval("SELECT pg_backend_pid()")
        # The server's record of the pooled connection's last statement, once it is released.
        last = await watcher.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
        held = await watcher.fetchval(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", pid
        )
    finally:
        await watcher.close()
        await db.close()
    assert last == "SELECT pg_backend_pid()"
    assert held == 0
