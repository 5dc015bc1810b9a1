import asyncio
import shutil
import sqlite3
import sys
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


async def test_an_open_connection_keeps_its_claim_on_the_file_for_other_processes(
    tmp_path: Path,
) -> None:
    """Another process's connection closing must not take itself for the last one.

    In WAL mode each connection holds a shared lock on the file for its whole life; a closing
    connection that gets an exclusive lock checkpoints and deletes the log. Opening the file
    outside SQLite and closing it drops this process's locks, after which a second process
    (a `doctor`, a restarted shard) would reset the log under the running bot.
    """
    path = tmp_path / "shared.db"
    await (await Database.open(path)).close()  # an existing file, as at every restart
    db = await Database.open(path)
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        await db.execute("INSERT INTO t VALUES (1)")
        other = await asyncio.create_subprocess_exec(
            sys.executable, "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT COUNT(*) FROM t').fetchall(); c.close()",
            str(path),
        )  # fmt: skip
        assert await other.wait() == 0
        wal_kept = await asyncio.to_thread(Path(f"{path}-wal").exists)
        assert wal_kept, "the other process took itself for the last one"
    finally:
        await db.close()
