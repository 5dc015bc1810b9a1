"""Migration 014: a server's one schedule becomes its schedule "daily", with nothing lost."""

from pathlib import Path

import pytest

from bot.db import Database, prompt_posts
from bot.db import prompts as repo
from bot.db.postgres import PostgresDatabase
from bot.db.storage import Storage
from tests.db.old_schema import newer_than, postgres_at, sqlite_at

OLD_ROWS = """
        INSERT INTO prompt_schedules (guild_id, channel_id, local_time, timezone, weekdays,
            use_thread, pin, with_excerpt, next_run_utc, next_local_date, last_local_date,
            paused_reason, paused_until, pause_notified, updated_at)
        VALUES (7, 70, '09:30', 'Europe/Berlin', 31, 0, 1, 1, 1780300000, '2026-06-02',
                '2026-06-01', NULL, NULL, 0, '2026-06-01T08:00:00Z'),
               (8, 80, '20:00', 'America/New_York', 127, 1, 0, 0, NULL, NULL, NULL,
                'Paused by a moderator.', NULL, 1, '2026-05-01T08:00:00Z');
        INSERT INTO prompt_posts (guild_id, local_date, channel_id, prompt_key, due_utc,
            claimed_utc, status, message_id)
        VALUES (7, '2026-06-01', 70, 'p1', 1780210000, 1780210001, 'sent', 555),
               (7, '2026-06-02', 70, 'p2', 1780300000, 1780300001, 'claimed', NULL);
        """


async def carried_over(db: Storage) -> None:
    """What a server had before names is its schedule "daily", posts and claims included."""
    first = await repo.get_schedule(db, 7)
    assert first is not None and first.name == "daily" and first.id > 0
    assert (first.channel_id, first.local_time, first.timezone, first.weekdays) == (
        70, "09:30", "Europe/Berlin", 31,
    )  # fmt: skip
    assert (first.use_thread, first.pin, first.with_excerpt) == (False, True, True)
    assert (first.next_run_utc, first.next_local_date, first.last_local_date) == (
        1780300000, "2026-06-02", "2026-06-01",
    )  # fmt: skip
    paused = await repo.get_schedule(db, 8, "daily")
    assert paused is not None and paused.paused_reason == "Paused by a moderator."
    sent = await prompt_posts.get_post(db, 7, "2026-06-01")
    assert sent is not None and (sent.status, sent.message_id) == ("sent", 555)
    assert sent.schedule_name == "daily"
    assert [p.local_date for p in await prompt_posts.unsent_posts(db)] == ["2026-06-02"]
    assert await repo.due_schedule_ids(db, 1780300000) == [first.id]


async def test_existing_schedules_and_posts_become_daily(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    sqlite_at(path, 13, [OLD_ROWS])
    db = await Database.open(path)
    try:
        assert await db.migrate() == newer_than(13)
        await carried_over(db)
    finally:
        await db.close()


async def test_postgresql_carries_existing_schedules_and_posts_over(
    fresh_postgres_url: str,
) -> None:
    await postgres_at(fresh_postgres_url, 13, [OLD_ROWS])
    db = await PostgresDatabase.open(fresh_postgres_url, min_size=1, max_size=2)
    try:
        assert await db.migrate() == newer_than(13, "postgresql")
        await carried_over(db)
        # New schedules and claims take ids after the carried-over ones.
        await repo.save_schedule(db, repo.ScheduleRow(7, 71, "18:00", "UTC", name="weekend"))
        assert [s.name for s in await repo.list_schedules(db, 7)] == ["daily", "weekend"]
        await prompt_posts.claim_posts(db, [(7, "weekend", "2026-06-01", 71, "p3", 0, 0)])
        assert await prompt_posts.keys_posted_on(db, 7, "2026-06-01") == {"p1", "p3"}
    finally:
        await db.close()


async def test_the_claim_is_unique_per_schedule_and_day(storage: Storage) -> None:
    db = storage
    for name in ("weekdays", "weekend"):
        await repo.save_schedule(db, repo.ScheduleRow(1, 10, "09:00", "UTC", name=name))
    rows = [
        (1, "weekdays", "2026-06-01", 10, "a", 0, 0),
        (1, "weekend", "2026-06-01", 11, "b", 0, 0),
        (1, "weekend", "2026-06-01", 11, "c", 0, 0),  # the same schedule and day: ignored
    ]
    await prompt_posts.claim_posts(db, rows)
    states = await prompt_posts.post_states(db, [1], "2026-06-01")
    assert {k: v.prompt_key for k, v in states.items()} == {
        (1, "weekdays", "2026-06-01"): "a",
        (1, "weekend", "2026-06-01"): "b",
    }
    assert await prompt_posts.keys_posted_on(db, 1, "2026-06-01") == {"a", "b"}
    with pytest.raises(Exception, match=r"(?i)check"):
        await repo.save_schedule(db, repo.ScheduleRow(2, 10, "09:00", "UTC", weekdays=0))
    assert [s.name for s in await repo.list_schedules(db, 1)] == ["weekdays", "weekend"]
    assert await repo.delete_schedule(db, 1, "weekend") == 1
    assert [s.name for s in await repo.list_schedules(db, 1)] == ["weekdays"]
