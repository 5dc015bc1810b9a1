"""The storage interface repositories and services are written against, whatever the database:
`Storage` (the database) and `Queries` (the database or an open transaction), the `Row` both
dialects return, the `Step`s of a one-trip transaction and the (server, key) `Pair`s a member's
data is found by. SQLite's side of it is bot/db/connection.py, PostgreSQL's bot/db/postgres.py;
nothing here knows either.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


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

    `pairs_table` and `in_ids` write what the dialects pass differently inside a statement: a
    member's data is found by joining a list of (server, key) pairs, a thousand of them for a
    member of a thousand servers, and a claim batch reads hundreds of servers by id; the cheap
    way to pass such a list is not the same in both.
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

    def in_ids(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """`column` is one of `ids` (integers), as a condition and the parameters it takes.

        SQLite gets `IN (?, ...)`, a parameter an id (callers keep lists to a few hundred, far
        under its limit). PostgreSQL gets `= ANY(...)` of one array parameter: one statement
        text for any number of ids, so each pooled connection prepares it once, where a new
        length of `IN` list is a new statement to parse and plan (a claim batch of 180 servers:
        about 6 ms a read that way, 3 ms as an array).
        """
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
