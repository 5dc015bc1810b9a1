"""The benchmarks' `--database` choice: SQLite files as before, or PostgreSQL databases of the
run's own (bot/db/scratch.py), created for the run and dropped at its end, even when it fails.

The server is the one the tests use: 127.0.0.1:5432 with trust auth, or `MUTUAL_TEST_PG_URL`
(a URL to its maintenance database). One that cannot be reached makes the run broken, not slow.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import AsyncIterator, Iterator

from bot.db import scratch

DATABASES = ("sqlite", "postgresql")
PREFIX = "mutual_bench"


class PostgresUnreachable(RuntimeError):
    """No PostgreSQL server answered: a `--database postgresql` run cannot measure anything."""


def stop_cleanly_on_sigterm() -> None:
    """SIGTERM (a `kill`, a stopped CI job) as SystemExit, so the `finally` that drops the run's
    databases runs instead of Python dying where it stands and leaving them on the server."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))


async def admin_url() -> str:
    """The server's maintenance URL, or PostgresUnreachable saying why."""
    url, why = await scratch.reach()
    if url is None:
        raise PostgresUnreachable(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({why})")
    return url


@contextlib.asynccontextmanager
async def database(*, migrate: bool = True) -> AsyncIterator[str]:
    """A new database's URL for the block, dropped after it (on an exception too; a SIGTERM
    ends the run where it stands, so `DROP DATABASE mutual_bench_...` by hand then)."""
    async with scratch.scratch_database(await admin_url(), PREFIX, migrate=migrate) as url:
        yield url


@contextlib.contextmanager
def blocking(count: int = 1, *, migrate: bool = True) -> Iterator[list[str]]:
    """`count` new databases' URLs for a block of plain (not async) code, dropped after it."""
    stop_cleanly_on_sigterm()
    admin = asyncio.run(admin_url())
    names = [scratch.fresh_name(PREFIX) for _ in range(count)]
    made: list[str] = []
    try:
        for name in names:
            made.append(name)
            url = asyncio.run(scratch.create_database(admin, name))
            if migrate:
                asyncio.run(scratch.migrate_database(url))
        yield [scratch.with_database(admin, name) for name in names]
    finally:
        for name in made:
            asyncio.run(scratch.drop_database(admin, name))
