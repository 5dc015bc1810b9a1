"""Discussions' due queries by shard: openings, reminders, closes and what a stop left half
done are read only for the servers on this process's shards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import Storage
from bot.db import discussions as repo
from bot.db.shards import ShardSet, shard_filter

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ON_0, ON_1 = (4 << 22) | 3, (5 << 22) | 3  # shards 0 and 1 of 2


@pytest.fixture
async def db(storage: Storage) -> Storage:
    """Both dialects: processes on several machines share PostgreSQL."""
    database = storage
    for guild_id in (ON_0, ON_1):
        await repo.create_discussion(
            database, guild_id=guild_id, channel_id=guild_id + 1, state="scheduled",
            source_kind="topic", source_id="trust", guide_id=None, title="t",
            duration_minutes=60, slowmode_seconds=0, starts_at=NOW - timedelta(minutes=1),
            remind_at=NOW - timedelta(minutes=2),
        )  # fmt: skip
    return database


def guilds(rows: list[repo.DiscussionRow]) -> list[int]:
    return [row.guild_id for row in rows]


async def test_reminders_and_openings_are_claimed_by_their_shard(db: Storage) -> None:
    first, second = ShardSet(2, (0,)), ShardSet(2, (1,))
    assert await repo.next_due(db, first) == NOW - timedelta(minutes=2)
    assert guilds(await repo.claim_due_reminders(db, NOW, first)) == [ON_0]
    assert guilds(await repo.claim_due_reminders(db, NOW, second)) == [ON_1]
    assert guilds(await repo.claim_due_starts(db, NOW, second)) == [ON_1]
    assert guilds(await repo.claim_due_starts(db, NOW, second)) == []
    assert guilds(await repo.interrupted(db, first)) == []
    assert guilds(await repo.interrupted(db, second)) == [ON_1]
    assert guilds(await repo.claim_stuck_openings(db, NOW, first)) == []
    assert guilds(await repo.claim_due_starts(db, NOW)) == [ON_0]  # no shards: every server


async def test_closes_are_due_by_shard(db: Storage) -> None:
    await db.execute(
        "UPDATE discussions SET state = 'open', close_at = ?", ("2026-06-01T11:00:00Z",)
    )
    assert guilds(await repo.due_to_close(db, NOW, ShardSet(2, (1,)))) == [ON_1]
    assert await repo.next_due(db, ShardSet(2, (0,))) == NOW - timedelta(hours=1)
    assert await repo.next_due(db, ShardSet(4, (3,))) is None


def test_every_server_needs_no_filter() -> None:
    assert shard_filter(None) == ("", ())
    assert shard_filter(ShardSet(8, (2, 3))) == (" AND ((guild_id >> 22) % ?) IN (?, ?)", (8, 2, 3))


async def test_a_claim_keeps_only_the_rows_still_as_they_were_read(db: Storage) -> None:
    """What two processes running one shard would meet: rows read as due, one of them taken by
    the other process before this one's update; only the rest are this one's."""
    rows = await db.fetchall("SELECT * FROM discussions ORDER BY id")
    await db.execute("UPDATE discussions SET state = 'opening' WHERE guild_id = ?", (ON_0,))
    async with db.transaction() as tx:
        won = await repo._take(tx, "state = 'opening'", "state = 'scheduled'", rows)
    assert won == {rows[1]["id"]}
