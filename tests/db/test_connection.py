import asyncio
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.db import Database, Step, Storage, connection


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


async def test_one_trip_commits_together_or_not_at_all(storage: Storage) -> None:
    db = storage
    await db.execute("CREATE TABLE trip (x INTEGER PRIMARY KEY)")
    try:
        insert = "INSERT INTO trip (x) VALUES (?)"
        assert await db.in_one_trip([Step(insert, (1,)), Step(insert, rows=[(2,), (3,)])])
        # The second 3 breaks the primary key: the 4 before it goes too.
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
            await db.in_one_trip([Step(insert, (4,)), Step(insert, (3,))])
        assert [r[0] for r in await db.fetchall("SELECT x FROM trip ORDER BY x")] == [1, 2, 3]
        # A guard that changes nothing ends the trip: what follows it is not run.
        guard = Step("INSERT INTO trip (x) VALUES (?) ON CONFLICT (x) DO NOTHING", (1,), guard=True)
        assert not await db.in_one_trip([guard, Step(insert, (5,))])
        assert await db.fetchval("SELECT COUNT(*) FROM trip") == 3
    finally:
        await db.execute("DROP TABLE trip")
