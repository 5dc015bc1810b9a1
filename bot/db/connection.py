"""The single SQLite connection every repository goes through, and the `Storage` interface it
shares with the PostgreSQL seam (bot/db/postgres.py), chosen by MUTUAL_DATABASE_URL.

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
import contextlib
import logging
import os
import re
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

import aiosqlite

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 200
WRITE_PATIENCE_S = 10.0
CHECKPOINT_EVERY_S = 1.0
AUTOCHECKPOINT_PAGES = 25_000  # ~100 MB of 4 KB pages: reached only if the worker falls behind
CACHE_KIB = 32_768  # a table of 100,000 schedules stays in memory through a catch-up
FILE_MODE = 0o600  # the database holds pending suggestion and question text
RESTORE_HINT = (
    "Stop the bot, move the damaged file aside and restore your latest backup in its place "
    '(see "Where data lives" in README.md)'
)


class Row(Protocol):
    """A result row as both dialects give it: `row[0]` and `row["name"]` (sqlite3.Row, asyncpg
    Record), so repositories read rows the same way whichever database is behind them."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...
    def keys(self) -> Any: ...


@dataclass(frozen=True)
class Step:
    """One statement of `Storage.in_one_trip`.

    `rows` makes it an executemany. A `guard` that changes no row ends the trip there: what came
    before it commits, the rest is skipped and the trip returns False (a token already counted).
    """

    sql: str
    params: Sequence[Any] = ()
    rows: Sequence[Sequence[Any]] | None = None
    guard: bool = False


Pair = tuple[int, str]
"""A server and a member's keyed hash in it: how member data is looked up (see `pairs_table`)."""


class Queries(Protocol):
    """What repositories need from a connection or an open transaction, in either dialect.

    `execute` returns the rows changed; `insert` the new row's `id` (on PostgreSQL through
    `RETURNING id`, so only for tables with an `id` column); params take each column's Python
    type exactly (int for INTEGER/BIGINT, str for TEXT), as asyncpg is strict about them.

    `pairs_table` writes what the dialects pass differently inside a statement: a member's data
    is found by joining a list of (server, key) pairs, a thousand of them for a member of a
    thousand servers, and the cheap way to pass such a list is not the same in both.
    """

    async def execute(self, sql: str, params: Sequence[Any] = ...) -> int: ...
    async def insert(self, sql: str, params: Sequence[Any] = ...) -> int: ...
    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...
    async def fetchone(self, sql: str, params: Sequence[Any] = ...) -> Row | None: ...
    async def fetchall(self, sql: str, params: Sequence[Any] = ...) -> list[Row]: ...

    @property
    def pairs_per_statement(self) -> int | None:
        """How many pairs one `pairs_table` may hold (None: any number); `pair_chunks` cuts a
        longer list to it, one statement per chunk."""
        ...

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        """`name(guild_id, member_key) AS (...)`, an entry of a WITH clause holding `pairs` (an
        empty table when there are none, duplicates kept), and the parameters it takes.

        Its parameters go where the WITH clause stands among the statement's. A DELETE or UPDATE
        reads it in a subquery (`... IN (WITH wanted ... SELECT ...)`) rather than starting with
        it: Python 3.11's sqlite3 reports no changed rows (-1) for a statement starting with WITH.
        SQLite gets a `VALUES` list, two parameters a pair, cut by `pair_chunks` to its limit on
        parameters. PostgreSQL gets two arrays through `unnest`, two parameters whatever the
        number of pairs: binding and planning a `VALUES` list of 1,000 pairs cost it more than
        the join (a member's blocks in 1,000 servers: 10-15 ms that way, about 3 ms as arrays).
        """
        ...


class Storage(Queries, Protocol):
    """The one interface repositories and services are written against.

    `Database` (SQLite, the default) and `PostgresDatabase` both satisfy it; SQL is written once
    with `?` placeholders in the portable subset both dialects share (see the house rules), and
    the PostgreSQL seam numbers the placeholders. A thin seam, not an ORM: the statements stay
    plain SQL an operator can read and run.
    """

    dialect: str

    @property
    def where(self) -> str:
        """Where the data lives, fit to print: a file path, or a URL without its password."""
        ...

    async def fetchval(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def transaction(self) -> contextlib.AbstractAsyncContextManager[Queries]: ...
    async def in_one_trip(self, steps: Sequence[Step]) -> bool: ...
    async def migrate(self) -> int: ...
    async def user_version(self) -> int: ...
    async def check_integrity(self) -> None: ...
    async def checkpoint(self) -> bool: ...
    async def table_names(self) -> list[str]: ...
    async def column_names(self, table: str) -> list[str]: ...
    async def server_version(self) -> str: ...
    async def close(self) -> None: ...


def pair_chunks(db: Queries, pairs: Sequence[Pair]) -> list[Sequence[Pair]]:
    """`pairs` cut to what one statement's `pairs_table` may hold, none when there are none."""
    per = db.pairs_per_statement
    if per is None:
        return [pairs] if pairs else []
    return [pairs[at : at + per] for at in range(0, len(pairs), per)]


# Pairs per statement on SQLite: two parameters a pair, three tables of pairs in one statement
# (/mydata's counts) stay under the 32,766 parameters SQLite takes by default.
PAIRS_PER_STATEMENT = 4_000
# Typed, so each column has its type whatever the rows (and when there are none).
_PAIR = "(CAST(? AS BIGINT), CAST(? AS TEXT))"
_NO_PAIR = "SELECT CAST(NULL AS BIGINT), CAST(NULL AS TEXT) WHERE 1 = 0"


def values_table(name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
    """SQLite's `pairs_table`: the pairs as a `VALUES` list (see `Queries.pairs_table`)."""
    if not pairs:
        return f"{name}(guild_id, member_key) AS ({_NO_PAIR})", []
    values = ", ".join([_PAIR] * len(pairs))
    return (
        f"{name}(guild_id, member_key) AS (VALUES {values})",
        [value for pair in pairs for value in pair],
    )


class DatabaseBusyError(RuntimeError):
    """Another process held the write lock for longer than a write may wait; nothing was written."""


class DatabaseDamagedError(RuntimeError):
    """The file is not a readable SQLite database, or its pages fail SQLite's own check."""

    def __init__(self, path: Path | str, detail: str) -> None:
        # SQLite's integrity report can span lines; the operator's error stays one line.
        detail = " ".join(detail.split())
        super().__init__(f"The database {path} is damaged ({detail}). {RESTORE_HINT}.")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _private_file(path: Path | str) -> None:
    """Create the database 0600 before SQLite does (its -wal and -shm copy the file's mode).

    An existing file is never opened here, only chmod-ed: closing any descriptor of the file
    drops every POSIX lock this process holds on it, SQLite's included, and in WAL mode the
    shared lock each connection keeps is how a closing connection knows it is not the last.
    Without it, another process's check-in could checkpoint and reset the log under a running
    bot, which corrupts the file.
    """
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return
    target = Path(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for companion in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(companion.stat().st_mode) & 0o077:
                companion.chmod(FILE_MODE)


class DatabaseTooNewError(RuntimeError):
    """The file was written by a newer Mutual; running old code on it could lose data."""


def available_migrations(dialect: str = "sqlite") -> list[tuple[int, str, str]]:
    """(version, file name, sql) for every migration shipped with the code, in order.

    SQLite's live in bot/db/migrations, PostgreSQL's in bot/db/migrations/postgresql under the
    same numbers and names: one schema history, written twice where the dialects differ.
    """
    folder = resources.files("bot.db") / "migrations"
    if dialect == "postgresql":
        folder = folder / "postgresql"
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
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(path, str(exc)) from None
    finally:
        conn.close()
    latest = len(available_migrations())
    if current > latest:
        raise DatabaseTooNewError(
            f"The database {path} is at schema version {current}, but this version of Mutual "
            f"knows only up to {latest}. Upgrade Mutual, or restore a backup made by this version."
        )


def too_new(where: str, current: int, latest: int) -> DatabaseTooNewError:
    return DatabaseTooNewError(
        f"The database {where} is at schema version {current}, but this version of Mutual "
        f"knows only up to {latest}. Upgrade Mutual, or restore a backup made by this version."
    )


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
        _private_file(path)
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
        _private_file(path)
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
                return await _trip(self._conn, _rowcount, sql, params)

        changed = await self._patiently(attempt)
        self._wrote()
        return changed

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row id."""

        async def attempt() -> int:
            async with self._tx_lock:
                return await _trip(self._conn, _lastrowid, sql, params)

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
        return await _trip(self._conn, _fetchone, sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await _trip(self._conn, _fetchall, sql, params)

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        return values_table(name, pairs)

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


class Transaction:
    """The statements allowed inside `Database.transaction()`."""

    pairs_per_statement: int | None = PAIRS_PER_STATEMENT

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        return values_table(name, pairs)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await _trip(self._conn, _rowcount, sql, params)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await _trip(self._conn, _lastrowid, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:  # nothing to do is not worth a trip to the database thread
            await _trip(self._conn, _executemany, sql, batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await _trip(self._conn, _fetchone, sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await _trip(self._conn, _fetchall, sql, params)


async def _trip(conn: aiosqlite.Connection, work: Callable[..., T], *args: Any) -> T:
    """`work(raw connection, *args)` on the SQLite thread in one hand-off.

    aiosqlite's cursor calls cost a hand-off to its thread and a wake-up of the event loop each
    (execute, fetch, close: three for a read); a catch-up makes thousands of statements, and the
    hand-offs cost more than most of the statements themselves.
    """
    # aiosqlite runs a plain callable on its thread only through `_execute`.
    return await conn._execute(work, conn._conn, *args)  # type: ignore[no-any-return,no-untyped-call]


def _rowcount(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> int:
    cursor = raw.execute(sql, params)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


def _lastrowid(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> int:
    cursor = raw.execute(sql, params)
    try:
        return int(cursor.lastrowid or 0)
    finally:
        cursor.close()


def _executemany(raw: sqlite3.Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    raw.executemany(sql, rows).close()


def _fetchone(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> Row | None:
    cursor = raw.execute(sql, params)
    try:
        row: Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def _fetchall(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    cursor = raw.execute(sql, params)
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()


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
