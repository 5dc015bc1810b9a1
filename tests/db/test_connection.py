import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, connection


async def settled(db: Database) -> None:
    """Until the checkpoint a write started in a worker thread is over."""
    for _ in range(200):
        if db._checkpointing is None:
            return
        await asyncio.sleep(0.01)


async def test_writes_reach_the_file_beside_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "CHECKPOINT_EVERY_S", 0.0)
    db = await Database.open(tmp_path / "c.db")
    try:
        for statement in ("CREATE TABLE t (x INTEGER)", "INSERT INTO t VALUES (1)"):
            await db.execute(statement)
            await settled(db)
        # The main file alone, without its write-ahead log, already holds the row.
        shutil.copy(tmp_path / "c.db", tmp_path / "copy.db")
        copy = sqlite3.connect(tmp_path / "copy.db")
        try:
            assert copy.execute("SELECT x FROM t").fetchall() == [(1,)]
        finally:
            copy.close()
    finally:
        await db.close()


async def test_one_trip_commits_together_or_not_at_all(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "t.db")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")

        def two(conn: sqlite3.Connection) -> int:
            conn.execute("INSERT INTO t VALUES (1)")
            return conn.execute("INSERT INTO t VALUES (2)").rowcount

        def half(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO t VALUES (3)")
            raise ValueError("stop")

        assert await db.in_one_trip(two) == 1
        with pytest.raises(ValueError, match="stop"):
            await db.in_one_trip(half)
        assert [r[0] for r in await db.fetchall("SELECT x FROM t ORDER BY x")] == [1, 2]
        assert await db.in_one_trip(lambda conn: conn.in_transaction) is True
        assert await db.fetchval("SELECT COUNT(*) FROM t") == 2
    finally:
        await db.close()
