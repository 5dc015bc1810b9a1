"""Storage for tests, in both dialects: every test taking `storage` runs on SQLite and PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (or MUTUAL_TEST_PG_URL, a URL to its maintenance
database); bot/db/scratch.py creates and drops the databases, as it does for the benchmarks. A
run creates its own database, migrates it once, empties its tables before each test
(TRUNCATE ... RESTART IDENTITY, far cheaper than migrating again) and drops it at the end. With
CI=true a missing server fails the run; elsewhere the PostgreSQL variants are left out and the
run ends with one line saying why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.db import Database, Storage, scratch

T = TypeVar("T")
_SKIPPED = pytest.StashKey[tuple[int, str]]()
DIALECTS = ["sqlite", "postgresql"]


def _aside(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run set-up on an event loop of its own in a thread: session fixtures are first reached
    from inside a test's running loop, where asyncio.run() is refused."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work()).result()


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """A URL to the server's maintenance database, or a skip (a failure under CI=true)."""
    url, why = _aside(scratch.reach)
    if url is None:
        message = f"PostgreSQL at 127.0.0.1:5432 is not reachable ({why})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(f"{message}; the PostgreSQL variants are skipped")
    return url


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """This run's own migrated database, dropped when the run ends."""
    name = scratch.fresh_name("mutual_test")
    url = _aside(lambda: scratch.create_database(postgres_admin_url, name))
    try:
        _aside(lambda: scratch.migrate_database(url))
        yield url
    finally:
        _aside(lambda: scratch.drop_database(postgres_admin_url, name))


async def open_test_storage(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest, name: str = "t.db"
) -> Storage:
    """A migrated, empty database of the dialect (PostgreSQL: this run's, emptied)."""
    if dialect == "sqlite":
        db: Storage = await Database.open(tmp_path / name)
        await db.migrate()
        return db
    from bot.db.postgres import PostgresDatabase

    url = request.getfixturevalue("postgres_url")
    pg = await PostgresDatabase.open(url, min_size=1, max_size=4)
    tables = await pg.table_names()
    await pg.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    return pg


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def storage(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Storage]:
    """A migrated, empty database: SQLite in the test's folder, or PostgreSQL."""
    db = await open_test_storage(dialect, tmp_path, request)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def fresh_postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """An empty, unmigrated PostgreSQL database of the test's own, dropped after it."""
    name = scratch.fresh_name("mutual_test")
    url = _aside(lambda: scratch.create_database(postgres_admin_url, name))
    try:
        yield url
    finally:
        _aside(lambda: scratch.drop_database(postgres_admin_url, name))


def _needs_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "postgresql" in callspec.params.values():
        return True
    names = getattr(item, "fixturenames", ())
    return any(
        name in names for name in ("postgres_admin_url", "postgres_url", "fresh_postgres_url")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a server (and without CI=true) the PostgreSQL variants are left out, and the run
    says so once at the end instead of once a test."""
    wanted = [item for item in items if _needs_postgres(item)]
    if not wanted or os.environ.get("CI", "").lower() == "true":
        return
    url, why = _aside(scratch.reach)
    if url is not None:
        return
    config.stash[_SKIPPED] = (len(wanted), why)
    items[:] = [item for item in items if not _needs_postgres(item)]
    config.hook.pytest_deselected(items=wanted)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    skipped = config.stash.get(_SKIPPED, None)
    if skipped is not None:
        count, why = skipped
        terminalreporter.write_line(
            f"PostgreSQL variants skipped ({count} tests): no server at 127.0.0.1:5432 ({why}); "
            "start one or set MUTUAL_TEST_PG_URL, and CI=true makes its absence a failure"
        )
