"""A bad start ends in one line that names the file and the way back, never a traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR, ConfigError, load_settings
from bot.db import Database
from bot.db.connection import backup_database
from tests.test_cli import run_cli

TOKEN_LIKE = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def make_database(path: Path, rows: int = 2000) -> None:
    """A migrated database with enough rows to span many pages."""
    import asyncio

    async def build() -> None:
        db = await Database.open(path)
        await db.migrate()
        await db.executemany(
            "INSERT INTO prompt_custom (guild_id, text) VALUES (?, ?)",
            [(1, f"A prompt long enough to fill pages, number {n:05d}. " * 3) for n in range(rows)],
        )
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await db.close()

    asyncio.run(build())


def test_a_file_that_is_not_a_database_stops_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "data" / "mutual.db"
    database.parent.mkdir()
    database.write_bytes(b"this is not a database at all " * 200)
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "unused"})
    assert result.returncode == 1
    line = one_line(result)
    assert str(Path("data/mutual.db")) in line and "restore" in line and "backup" in line


def test_an_overwritten_page_is_found_by_the_start_up_check(tmp_path: Path) -> None:
    database = tmp_path / "data" / "mutual.db"
    database.parent.mkdir()
    make_database(database)
    with sqlite3.connect(database) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with database.open("r+b") as handle:  # one page in the middle of the table's b-tree
        handle.seek(page_size * (pages // 2))
        handle.write(os.urandom(page_size))
    result = run_cli("run", cwd=tmp_path, env={"DISCORD_TOKEN": "unused"})
    assert result.returncode == 1
    line = one_line(result)
    assert "is damaged" in line and "restore your latest backup" in line


def test_a_content_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    (content / "prompts" / "latin1.toml").write_bytes(
        '[[prompt]]\nid = "x"\ntext = "caf\u00e9"\n'.encode("latin-1")
    )
    env = {"DISCORD_TOKEN": "unused", "MUTUAL_CONTENT_DIR": str(content)}
    result = run_cli("run", cwd=tmp_path, env=env)
    assert result.returncode == 1
    line = one_line(result)
    assert "prompts/latin1.toml" in line and "not UTF-8" in line
    checked = run_cli("check-content", "--path", str(content), cwd=tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "prompts/latin1.toml: (file): is not UTF-8" in checked.stdout


def test_a_damaged_database_ends_other_commands_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "data" / "mutual.db"
    database.parent.mkdir()
    database.write_bytes(b"garbage" * 1000)
    result = run_cli("rotate-secret", cwd=tmp_path)
    assert result.returncode == 1
    assert "is damaged" in one_line(result)


@pytest.mark.parametrize(
    "name",
    ["MUTUAL_DEV_GUILD_ID", "MUTUAL_SEND_RATE", "MUTUAL_LOG_LEVEL", "MUTUAL_SEND_CONCURRENCY"],
)
def test_a_settings_error_names_the_setting_but_never_echoes_the_value(
    tmp_path: Path, name: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"MUTUAL_DATABASE": str(tmp_path / "m.db"), name: TOKEN_LIKE}, dotenv=None)
    assert name in str(raised.value)
    assert TOKEN_LIKE[-20:].lower() not in str(raised.value).lower()  # upper-cased or not
    result = run_cli("run", cwd=tmp_path, env={name: TOKEN_LIKE})
    assert TOKEN_LIKE[-20:].lower() not in result.stderr.lower() and name in result.stderr


def test_database_files_and_folder_are_private_under_a_permissive_umask(tmp_path: Path) -> None:
    import asyncio

    old = os.umask(0o022)
    try:
        settings = load_settings(
            {"MUTUAL_DATABASE": str(tmp_path / "data" / "mutual.db")}, dotenv=None
        )

        async def write() -> None:
            db = await Database.open(settings.database_path)
            await db.migrate()
            await db.execute("INSERT INTO prompt_custom (guild_id, text) VALUES (1, 'x')")
            for suffix in ("", "-wal", "-shm"):
                mode = os.stat(f"{settings.database_path}{suffix}").st_mode
                assert stat.S_IMODE(mode) == 0o600, suffix
            await db.close()

        asyncio.run(write())
        assert stat.S_IMODE(settings.database_path.parent.stat().st_mode) == 0o700
        copy = tmp_path / "copy.db"
        backup_database(settings.database_path, copy)
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    import asyncio

    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)

    async def reopen() -> None:
        db = await Database.open(path)
        await db.close()

    asyncio.run(reopen())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
