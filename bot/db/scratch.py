"""A PostgreSQL database of one's own, for one test run or one benchmark run.

Tests and benchmarks share a server (127.0.0.1:5432, trust auth, or `MUTUAL_TEST_PG_URL`, a URL
to its maintenance database) with other runs, some of them at the same time. Each run therefore
creates a database under a random name through the maintenance database and drops it at the
end, `WITH (FORCE)` so a connection a crashed bot left open cannot keep it alive. Nothing here is
used by the running bot.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import asyncpg

CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)
"""Maintenance URLs tried in turn when `MUTUAL_TEST_PG_URL` is not set."""


def with_database(url: str, name: str) -> str:
    """`url` with its database replaced by `name`."""
    return url.rsplit("/", 1)[0] + "/" + name


async def reach() -> tuple[str | None, str]:
    """The first maintenance URL that answers, or None and why none did."""
    configured = os.environ.get("MUTUAL_TEST_PG_URL")
    why = "no server answered"
    for url in (configured,) if configured else CANDIDATES:
        try:
            conn = await asyncpg.connect(url, timeout=3)
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            why = f"{exc.__class__.__name__}: {exc}"
            continue
        await conn.close()
        return url, why
    return None, why


def fresh_name(prefix: str) -> str:
    """A database name no other run picks: `prefix` and 12 random hex digits."""
    return f"{prefix}_{secrets.token_hex(6)}"


async def create_database(admin_url: str, name: str) -> str:
    """Create the empty database `name` beside `admin_url`'s and return its URL."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    """Drop `name`, closing whatever connections are still open on it."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def migrate_database(url: str) -> None:
    """Bring the database at `url` to the latest schema, as the bot does at start-up."""
    from bot.db.postgres import PostgresDatabase

    db = await PostgresDatabase.open(url, min_size=1, max_size=2)
    try:
        await db.migrate()
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def scratch_database(
    admin_url: str, prefix: str, *, migrate: bool = True
) -> AsyncIterator[str]:
    """A new database's URL for the block (migrated unless told not to), dropped after it,
    whether the block ends or raises."""
    name = fresh_name(prefix)
    url = await create_database(admin_url, name)
    try:
        if migrate:
            await migrate_database(url)
        yield url
    finally:
        await drop_database(admin_url, name)
