"""The single SQLite connection every repository goes through.

One connection keeps writes serialised without application locks; WAL lets `backup` and readers
work while the bot writes. Transactions are explicit (`BEGIN IMMEDIATE`) so a claim and the row
move it protects commit together or not at all.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


class DatabaseTooNewError(RuntimeError):
    """The file was written by a newer Mutual; running old code on it could lose data."""


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, file name, sql) for every migration shipped with the code, in order."""
    folder = resources.files("bot.db") / "migrations"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, ... without gaps: {versions}")
    return found


def check_schema_version(path: Path | str) -> None:
    """Refuse, before anything connects, a database written by a newer Mutual."""
    if not Path(path).exists():
        return
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    latest = len(available_migrations())
    if current > latest:
        raise DatabaseTooNewError(
            f"The database {path} is at schema version {current}, but this version of Mutual "
            f"knows only up to {latest}. Upgrade Mutual, or restore a backup made by this version."
        )


class Database:
    """Thin async wrapper: run SQL, group statements in a transaction, apply migrations."""

    def __init__(self, connection: aiosqlite.Connection, path: Path | str) -> None:
        self._conn = connection
        self.path = path
        self._tx_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        return cls(conn, path)

    async def close(self) -> None:
        async with self._tx_lock:
            await self._conn.close()

    async def user_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations the file lacks; returns how many were applied."""
        migrations = available_migrations()
        latest = migrations[-1][0] if migrations else 0
        current = await self.user_version()
        if current > latest:
            raise DatabaseTooNewError(
                f"The database {self.path} is at schema version {current}, but this version of "
                f"Mutual knows only up to {latest}. Upgrade Mutual, or restore a backup made by "
                "this version."
            )
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
        async with self._tx_lock:
            cursor = await self._conn.execute(sql, params)
            changed = cursor.rowcount
            await cursor.close()
            return changed

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row id."""
        async with self._tx_lock:
            cursor = await self._conn.execute(sql, params)
            row_id = cursor.lastrowid
            await cursor.close()
            return int(row_id or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back if the block raises."""
        async with self._tx_lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")

    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return [str(row[0]) for row in rows]


class Transaction:
    """The statements allowed inside `Database.transaction()`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        changed = cursor.rowcount
        await cursor.close()
        return changed

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        row_id = cursor.lastrowid
        await cursor.close()
        return int(row_id or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


def backup_database(source: Path | str, destination: Path | str) -> None:
    """Online, consistent copy with SQLite's backup API; safe while the bot is writing."""
    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()
