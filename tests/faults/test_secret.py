"""A lost or changed secret is refused while keyed data exists; rotating it drops that data."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.db import Database
from bot.keyed_secret import SecretMismatchError, fingerprint, guard_secret
from tests.faults.test_start_up import one_line
from tests.test_cli import run_cli


def settings_in(folder: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_settings(
        {"MUTUAL_DATABASE": str(folder / "data" / "mutual.db"), **env}, dotenv=None
    )


async def start_once(folder: Path, **env: str) -> None:
    """What start-up does with the database: migrate, then check and record the secret."""
    settings = settings_in(folder, **env)
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        await guard_secret(db, settings)
    finally:
        await db.close()


def keep_history(database: Path) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO selfcheck_history (member_key, instrument, taken_on, save_token, scores) "
            "VALUES ('k', 'boundaries', '2026-06-01', 't', '{}')"
        )
        conn.execute("INSERT INTO prompt_custom (guild_id, text) VALUES (1, 'kept either way')")


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


async def test_a_new_secret_is_written_private_and_logged_after_the_check(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await start_once(tmp_path)
    secret_file = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert any("Generated a new hashing secret" in r.getMessage() for r in caplog.records)
    with sqlite3.connect(tmp_path / "data" / "mutual.db") as conn:
        stored = conn.execute("SELECT value FROM instance_meta").fetchone()[0]
    assert stored == fingerprint(secret_file.read_text().strip().encode())


async def test_a_missing_secret_file_with_keyed_data_is_refused(tmp_path: Path) -> None:
    await start_once(tmp_path)
    keep_history(tmp_path / "data" / "mutual.db")
    (tmp_path / "data" / "secret.key").unlink()
    with pytest.raises(SecretMismatchError, match="is missing") as refused:
        await start_once(tmp_path)
    assert "rotate-secret" in str(refused.value) and "1 saved self-check results" in str(
        refused.value
    )
    assert not (tmp_path / "data" / "secret.key").exists()  # never silently replaced


async def test_a_different_secret_with_keyed_data_is_refused(tmp_path: Path) -> None:
    await start_once(tmp_path, MUTUAL_SECRET="the-first-secret-0123456789")
    keep_history(tmp_path / "data" / "mutual.db")
    with pytest.raises(SecretMismatchError, match="MUTUAL_SECRET is not the one"):
        await start_once(tmp_path, MUTUAL_SECRET="another-secret-0123456789")
    await start_once(tmp_path, MUTUAL_SECRET="the-first-secret-0123456789")  # restored: fine


async def test_without_keyed_data_a_new_secret_is_simply_adopted(tmp_path: Path) -> None:
    await start_once(tmp_path, MUTUAL_SECRET="the-first-secret-0123456789")
    await start_once(tmp_path, MUTUAL_SECRET="another-secret-0123456789")


async def test_a_database_from_before_fingerprints_keeps_its_secret_but_not_a_new_one(
    tmp_path: Path,
) -> None:
    await start_once(tmp_path)
    database = tmp_path / "data" / "mutual.db"
    keep_history(database)
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM instance_meta")
    await start_once(tmp_path)  # the file it has been running with is trusted and recorded
    assert count(database, "instance_meta") == 1
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM instance_meta")
    (tmp_path / "data" / "secret.key").unlink()
    with pytest.raises(SecretMismatchError):
        await start_once(tmp_path)


def test_run_refuses_with_one_paragraph_and_rotate_secret_starts_fresh(tmp_path: Path) -> None:
    asyncio.run(start_once(tmp_path))
    database = tmp_path / "data" / "mutual.db"
    keep_history(database)
    old_secret = (tmp_path / "data" / "secret.key").read_text()
    (tmp_path / "data" / "secret.key").unlink()

    refused = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "unused"})
    assert refused.returncode == 1
    line = one_line(refused)
    assert "secret.key is missing" in line and "Restore the secret" in line
    assert "python -m bot rotate-secret --yes" in line

    asked = run_cli("rotate-secret", cwd=tmp_path)
    assert asked.returncode == 1 and "--yes" in asked.stdout
    assert count(database, "selfcheck_history") == 1

    rotated = run_cli("rotate-secret", "--yes", cwd=tmp_path)
    assert rotated.returncode == 0, rotated.stderr
    assert "Dropped 1 saved self-check results" in rotated.stdout
    assert count(database, "selfcheck_history") == 0
    assert count(database, "prompt_custom") == 1
    new_file = tmp_path / "data" / "secret.key"
    assert new_file.read_text() != old_secret
    assert stat.S_IMODE(new_file.stat().st_mode) == 0o600
    asyncio.run(start_once(tmp_path))  # the new secret now matches
