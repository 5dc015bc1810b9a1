"""How the SQLite connection hands statements to aiosqlite's thread, one hand-off each, the
statements of an open transaction, and a list of (server, key) pairs written for SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import aiosqlite

from bot.db.storage import Pair, Row

T = TypeVar("T")

# Pairs per statement on SQLite: two parameters a pair, three tables of pairs in one statement
# (/mydata's counts) stay under the 32,766 parameters SQLite takes by default.
PAIRS_PER_STATEMENT = 4_000
# Typed, so each column has its type whatever the rows (and when there are none).
_PAIR = "(CAST(? AS BIGINT), CAST(? AS TEXT))"
_NO_PAIR = "SELECT CAST(NULL AS BIGINT), CAST(NULL AS TEXT) WHERE 1 = 0"


def in_list(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQLite's `in_ids`: a parameter an id (see `Queries.in_ids`)."""
    return f"{column} IN ({', '.join('?' * len(ids))})", list(ids)


def values_table(name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
    """SQLite's `pairs_table`: the pairs as a `VALUES` list (see `Queries.pairs_table`)."""
    if not pairs:
        return f"{name}(guild_id, member_key) AS ({_NO_PAIR})", []
    values = ", ".join([_PAIR] * len(pairs))
    return (
        f"{name}(guild_id, member_key) AS (VALUES {values})",
        [value for pair in pairs for value in pair],
    )


class Transaction:
    """The statements allowed inside `Database.transaction()`."""

    pairs_per_statement: int | None = PAIRS_PER_STATEMENT

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        return values_table(name, pairs)

    def in_ids(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        return in_list(column, ids)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await trip(self._conn, raw_rowcount, sql, params)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await trip(self._conn, raw_lastrowid, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if batch:  # nothing to do is not worth a trip to the database thread
            await trip(self._conn, raw_executemany, sql, batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await trip(self._conn, raw_fetchone, sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await trip(self._conn, raw_fetchall, sql, params)


async def trip(conn: aiosqlite.Connection, work: Callable[..., T], *args: Any) -> T:
    """`work(raw connection, *args)` on the SQLite thread in one hand-off.

    aiosqlite's cursor calls cost a hand-off to its thread and a wake-up of the event loop each
    (execute, fetch, close: three for a read); a catch-up makes thousands of statements, and the
    hand-offs cost more than most of the statements themselves.
    """
    # aiosqlite runs a plain callable on its thread only through `_execute`.
    return await conn._execute(work, conn._conn, *args)  # type: ignore[no-any-return,no-untyped-call]


def raw_rowcount(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> int:
    cursor = raw.execute(sql, params)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


def raw_lastrowid(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> int:
    cursor = raw.execute(sql, params)
    try:
        return int(cursor.lastrowid or 0)
    finally:
        cursor.close()


def raw_executemany(raw: sqlite3.Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    raw.executemany(sql, rows).close()


def raw_fetchone(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> Row | None:
    cursor = raw.execute(sql, params)
    try:
        row: Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def raw_fetchall(raw: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    cursor = raw.execute(sql, params)
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()
