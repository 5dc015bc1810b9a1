import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, DatabaseTooNewError, Storage
from bot.db.connection import backup_database
from bot.db.schema import available_migrations
from bot.db.settings import get_settings, update_settings


async def test_migrations_apply_once_and_are_a_no_op_after(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "m.db")
    try:
        first = await db.migrate()
        assert first == len(available_migrations()) > 0
        assert await db.user_version() == len(available_migrations())
        assert await db.migrate() == 0
        assert "guild_settings" in await db.table_names()
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
    finally:
        await db.close()


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    db = await Database.open(path)
    try:
        with pytest.raises(DatabaseTooNewError, match="999"):
            await db.migrate()
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(storage: Storage) -> None:
    db = storage

    async def insert_then_fail() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO guild_settings (guild_id) VALUES (1)")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await insert_then_fail()
    assert await db.fetchval("SELECT COUNT(*) FROM guild_settings") == 0


async def test_settings_have_registered_defaults_and_upsert(storage: Storage) -> None:
    db = storage
    assert (await get_settings(db, 5)).anonymous_mode == "reviewed"
    await update_settings(db, 5, facilitator_role_id=77)
    await update_settings(db, 5, anonymous_mode="direct")
    settings = await get_settings(db, 5)
    assert settings.facilitator_role_id == 77 and settings.anonymous_mode == "direct"
    # A Discord id past 32 bits is kept whole in both dialects.
    await update_settings(db, 5, log_channel_id=1_234_567_890_123_456_789)
    assert (await get_settings(db, 5)).log_channel_id == 1_234_567_890_123_456_789
    with pytest.raises(ValueError, match="anonymous_mode"):
        await update_settings(db, 5, anonymous_mode="loud")


async def test_backup_copies_data_while_the_database_is_open(tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    db = await Database.open(source)
    await db.migrate()
    try:
        await update_settings(db, 9, ground_rules="Be kind")
        copy = tmp_path / "backups" / "copy.db"
        backup_database(source, copy)
        conn = sqlite3.connect(copy)
        try:
            row = conn.execute(
                "SELECT ground_rules FROM guild_settings WHERE guild_id = 9"
            ).fetchone()
            assert row == ("Be kind",)
        finally:
            conn.close()
        with pytest.raises(FileExistsError):
            backup_database(source, copy)
    finally:
        await db.close()


def test_both_dialects_have_the_same_migrations() -> None:
    """One schema history: every number and name exists for SQLite and for PostgreSQL."""
    sqlite = [(version, name) for version, name, _ in available_migrations("sqlite")]
    postgresql = [(version, name) for version, name, _ in available_migrations("postgresql")]
    assert sqlite == postgresql
    assert len(sqlite) >= 13
