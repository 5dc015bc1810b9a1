"""The single SQLite connection every repository goes through, behind the `Storage` interface
(bot/db/storage.py) it shares with the PostgreSQL seam (bot/db/postgres.py), chosen by
MUTUAL_DATABASE_URL. How a statement reaches aiosqlite's thread is in bot/db/sqlite_statements.py,
the file before a connection opens it in bot/db/sqlite_file.py.

One connection keeps writes serialised without application locks; WAL lets `backup` and readers
work while the bot writes. Transactions are explicit (`BEGIN IMMEDIATE`) so a claim and the row
move it protects commit together or not at all.

Waiting on a lock held by another process (a `backup`, an operator's sqlite3 shell) follows one
policy. aiosqlite runs every call on one thread, so a statement parked in SQLite's busy handler
would hold up every read behind it: each wait inside SQLite is short (`BUSY_TIMEOUT_MS`), and a
write that finds the lock taken tries again from the event loop, letting reads through, until
`WRITE_PATIENCE_S` has passed. Then it raises `DatabaseBusyError`, which a handler that has
already answered Discord (they all defer before writing) turns into an honest reply.

Checkpoints (copying the write-ahead log into the file, with an fsync) run beside the bot's
connection, not inside it: SQLite's own checkpoint runs in the commit that crosses its
threshold, on the one thread every query waits behind, and on a slow disk took most of a second
while a catch-up wrote. A passive checkpoint on a connection of its own, in a worker thread, at
most every `CHECKPOINT_EVERY_S` after a write, copies what it can while the bot keeps reading and
writing; SQLite's own threshold stays as a backstop at `AUTOCHECKPOINT_PAGES`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.db.schema import available_migrations, too_new
from bot.db.sqlite_file import FILE_MODE, DatabaseDamagedError, private_file
from bot.db.sqlite_statements import (
    PAIRS_PER_STATEMENT,
    Transaction,
    in_list,
    raw_fetchall,
    raw_fetchone,
    raw_lastrowid,
    raw_rowcount,
    trip,
    values_table,
)
from bot.db.storage import Pair, Queries, Row, Step

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 200
WRITE_PATIENCE_S = 10.0
CHECKPOINT_EVERY_S = 1.0
AUTOCHECKPOINT_PAGES = 25_000  # ~100 MB of 4 KB pages: reached only if the worker falls behind
CACHE_KIB = 32_768  # a table of 100,000 schedules stays in memory through a catch-up


class DatabaseBusyError(RuntimeError):
    """Another process held the write lock for longer than a write may wait; nothing was written."""


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


class Database:
    """Thin async wrapper: run SQL, group statements in a transaction, apply migrations."""

    dialect = "sqlite"
    pairs_per_statement: int | None = PAIRS_PER_STATEMENT

    def __init__(self, connection: aiosqlite.Connection, path: Path | str) -> None:
        self._conn = connection
        self.path = path
        self._tx_lock = asyncio.Lock()
        self.write_patience = WRITE_PATIENCE_S
        self._checkpointing: asyncio.Task[None] | None = None
        self._last_checkpoint = time.monotonic()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating it private if new); a file SQLite cannot read raises DatabaseDamaged."""
        private_file(path)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if str(path) != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
                await conn.execute("PRAGMA synchronous = NORMAL")
                await conn.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
            await conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            await conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten, not just unlinked: erased text must not survive in
            # free pages of the file.
            await conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise
            raise DatabaseDamagedError(path, str(exc)) from None
        private_file(path)
        return cls(conn, path)

    async def check_integrity(self) -> None:
        """`PRAGMA quick_check`: a damaged page stops start-up instead of failing members later."""
        try:
            rows = await self.fetchall("PRAGMA quick_check")
        except sqlite3.DatabaseError as exc:
            raise DatabaseDamagedError(self.path, str(exc)) from None
        problems = [str(row[0]) for row in rows if str(row[0]) != "ok"]
        if problems:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise DatabaseDamagedError(self.path, f"{problems[0]}{more}")

    async def _patiently(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run one write, trying again while another process holds the lock (see module doc)."""
        deadline = time.monotonic() + self.write_patience
        pause = 0.05
        while True:
            try:
                return await attempt()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if time.monotonic() + pause > deadline:
                    raise DatabaseBusyError(
                        f"the database stayed locked for {self.write_patience:g} s"
                    ) from None
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.5)

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so deleted rows leave no copy in
        `-wal`; False when a reader elsewhere (a backup) kept it from finishing this time."""
        if str(self.path) == ":memory:":
            return True
        async with (
            self._tx_lock,
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor,
        ):
            row = await cursor.fetchone()
        done = row is None or int(row[0]) == 0
        if not done:
            log.warning("The database checkpoint could not finish; it is tried after the next")
        return done

    def _wrote(self) -> None:
        """After a write: start a passive checkpoint beside the connection if one is due."""
        if str(self.path) == ":memory:" or self._checkpointing is not None:
            return
        if time.monotonic() - self._last_checkpoint < CHECKPOINT_EVERY_S:
            return
        self._last_checkpoint = time.monotonic()
        self._checkpointing = asyncio.get_running_loop().create_task(self._checkpoint_beside())

    async def _checkpoint_beside(self) -> None:
        try:
            await asyncio.to_thread(_passive_checkpoint, self.path)
        except sqlite3.Error as exc:  # the backstop threshold still checkpoints
            log.debug("A background checkpoint did not run: %s", exc)
        finally:
            self._checkpointing = None

    async def close(self) -> None:
        if self._checkpointing is not None:
            await asyncio.shield(self._checkpointing)
        async with self._tx_lock:
            await self._conn.close()

    @property
    def where(self) -> str:
        return str(self.path)

    async def server_version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"

    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations the file lacks; returns how many were applied."""
        migrations = available_migrations()
        latest = migrations[-1][0] if migrations else 0
        current = await self.user_version()
        if current > latest:
            raise too_new(str(self.path), current, latest)
        applied = 0
        for version, name, sql in migrations:
            if version <= current:
                continue
            log.info("Applying database migration %s", name)
            async with self._tx_lock:
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {version};\nCOMMIT;"
                )
            applied += 1
        return applied

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement in its own implicit transaction; returns the rows changed."""

        async def attempt() -> int:
            async with self._tx_lock:
                return await trip(self._conn, raw_rowcount, sql, params)

        changed = await self._patiently(attempt)
        self._wrote()
        return changed

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row id."""

        async def attempt() -> int:
            async with self._tx_lock:
                return await trip(self._conn, raw_lastrowid, sql, params)

        row_id = await self._patiently(attempt)
        self._wrote()
        return row_id

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        async with self.transaction() as tx:
            await tx.executemany(sql, batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await trip(self._conn, raw_fetchone, sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await trip(self._conn, raw_fetchall, sql, params)

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        return values_table(name, pairs)

    def in_ids(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        return in_list(column, ids)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Queries]:
        """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back if the block raises.

        Only `BEGIN IMMEDIATE` waits for the lock, so only it is tried again: once it succeeds
        the block runs once and commits without waiting on anyone.
        """

        async def begin() -> None:
            await self._tx_lock.acquire()
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._tx_lock.release()
                raise

        await self._patiently(begin)
        try:
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
        finally:
            self._tx_lock.release()
        self._wrote()

    async def in_one_trip(self, steps: Sequence[Step]) -> bool:
        """`steps` between `BEGIN IMMEDIATE` and `COMMIT` in a single trip to the SQLite thread.

        For a short transaction on a hot path (counting a self-check result): awaiting each
        statement costs a round trip through the thread and the event loop, several times what
        the statements themselves cost. Rolled back if a step raises, tried again whole if the
        lock was taken; False when a guard step changed nothing (see `Step`).
        """

        def run() -> bool:
            raw.execute("BEGIN IMMEDIATE")
            try:
                done = True
                for step in steps:
                    if step.rows is not None:
                        raw.executemany(step.sql, step.rows)
                        continue
                    changed = raw.execute(step.sql, step.params).rowcount
                    if step.guard and not changed:
                        done = False
                        break
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return done

        async def attempt() -> bool:
            async with self._tx_lock:
                # aiosqlite runs a plain callable on its thread only through `_execute`.
                return await self._conn._execute(run)  # type: ignore[no-any-return,no-untyped-call]

        raw = self._conn._conn
        result = await self._patiently(attempt)
        self._wrote()
        return result

    async def column_names(self, table: str) -> list[str]:
        rows = await self.fetchall(f"PRAGMA table_info({table})")
        return [str(row[1]) for row in rows]

    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return [str(row[0]) for row in rows]


def _passive_checkpoint(path: Path | str) -> None:
    """Copy what the write-ahead log holds into the file, waiting for no reader or writer."""
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()


def backup_database(source: Path | str, destination: Path | str) -> None:
    """Online, consistent copy with SQLite's backup API; safe while the bot is writing."""
    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    src = sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=WRITE_PATIENCE_S)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()
