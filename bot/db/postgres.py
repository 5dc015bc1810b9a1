"""PostgreSQL behind the same `Storage` interface as the SQLite default, through an asyncpg pool.

Chosen when `MUTUAL_DATABASE_URL` is set, so several processes (on several machines) can share
one database. Repositories keep writing the portable SQL with `?` placeholders; this seam numbers
them (`$1`, `$2`, ...) once per statement text and keeps the result. Row counts come from the
command tag asyncpg returns (`UPDATE 3`), new ids from `RETURNING id`.

What differs from SQLite and why:
- The schema version lives in the table `mutual_schema` (PostgreSQL has no `user_version`), and
  migrations run under an advisory lock, so processes starting together apply each one once.
- There is no write lock to wait on: writers block on rows, not on the database, so the busy
  policy of the SQLite seam has no counterpart here.
- Integrity, checkpoints and file backups are the server's business (`pg_dump`, its own WAL).
- A list of (server, key) pairs to join on is two arrays read by `unnest` (`unnest_table`), where
  SQLite gets a `VALUES` list: binding and planning 2,000 parameters cost more than the join.
- A connection goes back to the pool as it is (see `_as_it_is`): asyncpg's default sends a reset
  query on every release, which doubled the round trips of every single statement.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bot.db.schema import available_migrations, too_new
from bot.db.storage import Pair, Queries, Row, Step
from bot.db.urls import redacted

__all__ = ["DatabaseUnreachableError", "PostgresDatabase", "numbered", "redacted", "unnest_table"]

log = logging.getLogger(__name__)

# Any fixed number both processes agree on: pg_advisory_lock takes a bigint key.
MIGRATION_LOCK_KEY = 0x4D7574_75616C  # "Mutual"
TRANSACTION_LOCK_KEY = MIGRATION_LOCK_KEY + 1
SCHEMA_TABLE = "mutual_schema"
POOL_MIN = 1
POOL_MAX = 10
_TAG_COUNT = re.compile(r"(\d+)$")


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1..$n`, leaving quoted text and identifiers alone.

    SQLite's explicit `?NNN` (one parameter used several times) becomes `$NNN`.
    """
    out: list[str] = []
    n = 0
    quote: str | None = None
    i = 0
    while i < len(sql):
        char = sql[i]
        i += 1
        if quote is not None:
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
        elif char == "?":
            digits = ""
            while i < len(sql) and sql[i].isdigit():
                digits += sql[i]
                i += 1
            if not digits:
                n += 1
                digits = str(n)
            out.append(f"${digits}")
            continue
        out.append(char)
    return "".join(out)


def unnest_table(name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
    """PostgreSQL's `pairs_table`: the pairs as two arrays, one of servers and one of keys, read
    side by side by `unnest` (see `Queries.pairs_table`). The statement's text is the same for
    any number of pairs, so each pooled connection prepares it once."""
    return (
        f"{name}(guild_id, member_key) AS "
        "(SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[])))",
        [[guild for guild, _ in pairs], [key for _, key in pairs]],
    )


def _count(tag: str) -> int:
    match = _TAG_COUNT.search(tag or "")
    return int(match.group(1)) if match else 0


def _returning_id(sql: str) -> str:
    return (
        sql if re.search(r"\bRETURNING\b", sql, re.IGNORECASE) else f"{sql.rstrip()} RETURNING id"
    )


async def _as_it_is(conn: asyncpg.Connection) -> None:
    """The pool's reset on release: nothing beyond the rollback asyncpg always does.

    asyncpg's default reset (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) is a
    second round trip after every statement run on the pool: on a loaded 2-core machine it cost
    0.5-0.7 ms per statement, more than the statement itself. Nothing here leaves session state
    behind: no SET, LISTEN or cursors; transactions take transaction-scoped advisory locks, which
    end with them; and the one session lock (migrations) is released explicitly, its connection
    closed if that fails.
    """


class DatabaseUnreachableError(RuntimeError):
    """The PostgreSQL server did not answer, or refused the connection (user, database)."""


class _Queries:
    """The statements of `Queries` on one asyncpg connection (or the pool)."""

    pairs_per_statement: int | None = None  # two array parameters hold any number

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self._conn = conn

    def pairs_table(self, name: str, pairs: Sequence[Pair]) -> tuple[str, list[Any]]:
        return unnest_table(name, pairs)

    def in_ids(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """PostgreSQL's `in_ids`: one array parameter (see `Queries.in_ids`)."""
        return f"{column} = ANY(CAST(? AS BIGINT[]))", [list(ids)]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return _count(await self._conn.execute(numbered(sql), *params))

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        value = await self._conn.fetchval(numbered(_returning_id(sql)), *params)
        return int(value or 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(row) for row in rows]
        if batch:
            await self._conn.executemany(numbered(sql), batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self._conn.fetchrow(numbered(sql), *params)
        return row

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self._conn.fetch(numbered(sql), *params))

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self._conn.fetchval(numbered(sql), *params)


class PostgresDatabase(_Queries):
    """The `Storage` interface on a pool of connections to one PostgreSQL database."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        super().__init__(pool)
        self._pool = pool
        self.url = url

    @classmethod
    async def open(
        cls, url: str, *, min_size: int = POOL_MIN, max_size: int = POOL_MAX
    ) -> PostgresDatabase:
        """A pool on `url`; a server that cannot be reached or refuses raises
        DatabaseUnreachableError naming it without its password."""
        # statement_cache_size stays on: each pooled connection prepares a statement once.
        try:
            pool = await asyncpg.create_pool(
                url, min_size=min_size, max_size=max_size, reset=_as_it_is
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise DatabaseUnreachableError(
                f"PostgreSQL at {redacted(url)} could not be used ({exc.__class__.__name__}: "
                f"{exc}). Check MUTUAL_DATABASE_URL and that the server is running."
            ) from None
        return cls(pool, url)

    @property
    def where(self) -> str:
        return redacted(self.url)

    async def server_version(self) -> str:
        version = await self.fetchval("SHOW server_version")
        return f"PostgreSQL {version}"

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Queries]:
        """One pooled connection in a transaction, rolled back if the block raises.

        Transactions run one at a time across every process sharing the database, as SQLite's
        `BEGIN IMMEDIATE` makes them: the services' read-decide-write blocks (claiming due
        prompts, counting questions against a limit) were written for that guarantee, and a
        transaction-scoped advisory lock keeps it. Single statements outside a transaction
        still run side by side on the pool.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", TRANSACTION_LOCK_KEY)
            yield _Queries(conn)

    async def in_one_trip(self, steps: Sequence[Step]) -> bool:
        """The steps in one transaction on one connection (see `Step` for guards)."""
        async with self._pool.acquire() as conn, conn.transaction():
            for step in steps:
                if step.rows is not None:
                    if step.rows:
                        await conn.executemany(numbered(step.sql), [tuple(r) for r in step.rows])
                    continue
                changed = _count(await conn.execute(numbered(step.sql), *step.params))
                if step.guard and not changed:
                    return False
        return True

    async def check_integrity(self) -> None:
        """The server checks its own pages; a connection that answers is all there is to ask."""
        await self.fetchval("SELECT 1")

    async def checkpoint(self) -> bool:
        """Nothing to copy: erased rows are the server's to vacuum (the SQLite seam's WAL copy
        has no counterpart a client should force)."""
        return True

    async def table_names(self) -> list[str]:
        rows = await self.fetchall(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            f"AND tablename <> '{SCHEMA_TABLE}'"
        )
        return [str(row[0]) for row in rows]

    async def column_names(self, table: str) -> list[str]:
        rows = await self.fetchall(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
        return [str(row[0]) for row in rows]

    async def user_version(self) -> int:
        async with self._pool.acquire() as conn:
            return await _schema_version(conn)

    async def migrate(self) -> int:
        """Apply the missing migrations under an advisory lock; a newer schema is refused."""
        migrations = available_migrations("postgresql")
        latest = migrations[-1][0] if migrations else 0
        applied = 0
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
            try:
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER NOT NULL)"
                )
                current = await _schema_version(conn)
                if current > latest:
                    raise too_new(self.where, current, latest)
                for version, name, sql in migrations:
                    if version <= current:
                        continue
                    log.info("Applying database migration %s", name)
                    async with conn.transaction():
                        await conn.execute(sql)
                        await conn.execute(f"DELETE FROM {SCHEMA_TABLE}")
                        await conn.execute(
                            f"INSERT INTO {SCHEMA_TABLE} (version) VALUES ($1)", version
                        )
                    applied += 1
            finally:
                try:
                    await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
                except (asyncpg.PostgresError, OSError):
                    # The pool does not reset connections: one that may still hold the lock
                    # must not go back to it.
                    conn.terminate()
        return applied


async def _schema_version(conn: asyncpg.Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", SCHEMA_TABLE)
    if not exists:
        return 0
    value = await conn.fetchval(f"SELECT MAX(version) FROM {SCHEMA_TABLE}")
    return int(value or 0)
