"""Due prompts by shard: each process claims its own servers, and a shard moving between
processes (both running it for a while, or one killed with claims in flight) still posts once.

Each "process" is its own connection to one database, as two `python -m bot run` sharing a
SQLite file or a PostgreSQL database are; the claim rows in that shared database are what keeps
exactly once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.db import Database, Storage, open_storage, prompt_posts
from bot.db import prompts as repo
from bot.db.shards import ShardSet, shard_of
from bot.services.prompts.dispatch import PromptDueSource
from tests.services.prompts.test_dispatch import PROMPTS, START, FakePoster, Jobs, add_schedule

COUNT = 4
GUILDS = [(n << 22) | 7 for n in range(1, 41)]  # ten servers on each of the four shards
DUE = START + timedelta(hours=1, seconds=5)


Opener = Callable[[], Awaitable[Storage]]


@pytest.fixture
async def shared(dialect: str, tmp_path: Path, request: pytest.FixtureRequest) -> Opener:
    """Opens one more connection (SQLite) or pool (PostgreSQL) to the shared database."""
    url = request.getfixturevalue("fresh_postgres_url") if dialect == "postgresql" else None

    async def open_one() -> Storage:
        return await open_storage(tmp_path / "shared.db", url)

    database = await open_one()
    await database.migrate()
    for gid in GUILDS:
        await add_schedule(database, gid)
    await database.close()
    return open_one


@pytest.fixture
async def path(tmp_path: Path) -> Path:
    """A SQLite file, for what only SQLite's planner shows."""
    database = await Database.open(tmp_path / "shared.db")
    await database.migrate()
    for gid in GUILDS:
        await add_schedule(database, gid)
    await database.close()
    return tmp_path / "shared.db"


class Process:
    """One bot process's view: its own connection, its shards, its poster and send queue."""

    def __init__(self, db: Storage, shards: ShardSet | None) -> None:
        self.db = db
        self.poster = FakePoster()
        self.jobs = Jobs()
        self.source = PromptDueSource(
            db, PROMPTS, self.poster, self.jobs.submit, grace=timedelta(hours=6), shards=shards
        )

    def posted(self) -> list[int]:
        return [job.guild_id for job in self.poster.sent]


async def process(shared: Opener, *ids: int) -> Process:
    return Process(await shared(), ShardSet(COUNT, ids))


def on(*shards: int) -> list[int]:
    return sorted(g for g in GUILDS if shard_of(g, COUNT) in shards)


async def test_each_process_claims_only_its_shards(shared: Opener) -> None:
    a, b = await process(shared, 0, 1), await process(shared, 2, 3)
    try:
        assert await a.source.next_due() == await b.source.next_due()
        await asyncio.gather(a.source.run_due(DUE), b.source.run_due(DUE))
        await a.jobs.run()
        await b.jobs.run()
        assert sorted(a.posted()) == on(0, 1)
        assert sorted(b.posted()) == on(2, 3)
    finally:
        await a.db.close()
        await b.db.close()


async def test_a_shard_run_by_two_processes_during_a_move_posts_once(shared: Opener) -> None:
    """A still runs shard 3 while B has started it: both tick at the same moment."""
    a, b = await process(shared, 2, 3), await process(shared, 3)
    try:
        await asyncio.gather(a.source.run_due(DUE), b.source.run_due(DUE))
        await asyncio.gather(a.jobs.run(), b.jobs.run())
        counts = Counter(a.posted() + b.posted())
        assert sorted(counts) == on(2, 3)
        assert set(counts.values()) == {1}
        assert set(b.posted()) <= set(on(3))
    finally:
        await a.db.close()
        await b.db.close()


async def test_claims_in_flight_when_a_shard_moves_are_sent_by_the_new_owner_once(
    shared: Opener,
) -> None:
    """A claims shard 3's posts and stops before sending them (SIGKILL): B, now running shard
    3, re-sends those claims at start-up; A, back with shard 2 only, leaves them alone."""
    a = await process(shared, 2, 3)
    await a.source.run_due(DUE)
    claimed = await prompt_posts.unsent_posts(a.db)
    assert sorted(p.guild_id for p in claimed) == on(2, 3)
    a.jobs.queue.clear()  # killed: the sends never ran
    await a.db.close()

    again = await process(shared, 2)
    b = await process(shared, 3)
    try:
        later = DUE + timedelta(seconds=30)
        await asyncio.gather(again.source.run_due(later), b.source.run_due(later))
        await asyncio.gather(again.jobs.run(), b.jobs.run())
        assert sorted(again.posted()) == on(2)
        assert sorted(b.posted()) == on(3)
        assert await prompt_posts.unsent_posts(b.db) == []
        rows = await b.db.fetchall("SELECT status, COUNT(*) FROM prompt_posts GROUP BY status")
        assert {r[0]: r[1] for r in rows} == {"sent": len(on(2, 3))}
    finally:
        await again.db.close()
        await b.db.close()


async def test_the_due_query_reads_the_due_index_alone(path: Path) -> None:
    db = await Database.open(path)
    try:
        plan = await db.fetchall(
            "EXPLAIN QUERY PLAN SELECT id FROM prompt_schedules "
            "WHERE next_run_utc IS NOT NULL AND next_run_utc <= ? "
            "AND ((guild_id >> 22) % ?) IN (?, ?) ORDER BY id",
            (0, 4, 1, 2),
        )
        detail = " ".join(str(row[-1]) for row in plan)
        assert "COVERING INDEX prompt_schedules_due" in detail, detail
        ids = await repo.due_schedule_ids(db, int(DUE.timestamp()), ShardSet(COUNT, (1, 2)))
        marks = ", ".join("?" for _ in ids)
        rows = await db.fetchall(
            f"SELECT guild_id FROM prompt_schedules WHERE id IN ({marks})", ids
        )
        assert sorted(int(row[0]) for row in rows) == on(1, 2)
    finally:
        await db.close()


async def test_a_claim_says_which_days_it_took(shared: Opener) -> None:
    """Two processes deciding the same day at once: the claim committed second takes nothing
    (its INSERT meets the first's row), so that process sends nothing for it."""
    db = await shared()
    try:
        first = await prompt_posts.claim_posts(
            db, [(GUILDS[0], "daily", "2026-06-01", 1, "p-1", 0, 0)]
        )
        rows = [
            (GUILDS[0], "daily", "2026-06-01", 1, "p-2", 0, 0),
            (GUILDS[1], "daily", "2026-06-01", 1, "p-2", 0, 0),
        ]
        second = await prompt_posts.claim_posts(db, rows)
        assert (first, second) == ({(GUILDS[0], "daily")}, {(GUILDS[1], "daily")})
        await prompt_posts.set_post_status(db, GUILDS[0], "daily", "2026-06-01", "failed")
        # a failed claim is retaken
        assert await prompt_posts.claim_posts(db, rows[:1]) == {(GUILDS[0], "daily")}
        post = await prompt_posts.get_post(db, GUILDS[0], "2026-06-01")
        assert post is not None and post.prompt_key == "p-2" and post.status == "claimed"
    finally:
        await db.close()
