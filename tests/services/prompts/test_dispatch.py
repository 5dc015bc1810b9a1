import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.content.model import Prompt
from bot.db import Storage, prompt_posts
from bot.db import prompts as repo
from bot.services.prompts import dispatch
from bot.services.prompts.delivery import NONCE_WINDOW
from bot.services.prompts.dispatch import PromptDueSource
from bot.services.prompts.model import (
    ChannelGone,
    MissingAccess,
    PostError,
    PostJob,
    TemporaryFailure,
    post_nonce,
)
from bot.services.prompts.rows import to_ts
from bot.services.prompts.schedule import Rule, parse_time, resolve_timezone

PROMPTS = {f"p-{i}": Prompt(f"p-{i}", "trust", f"Prompt {i}") for i in range(5)}
START = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 08:00 in Berlin


class FakePoster:
    def __init__(self) -> None:
        self.sent: list[PostJob] = []
        self.failures: dict[int, list[PostError]] = {}
        self.notes: list[tuple[int, str]] = []
        self.in_channel: dict[int, int] = {}  # guild -> id of a post already in its channel
        self.history_errors: list[PostError] = []
        self.looked: list[tuple[int, datetime]] = []

    async def find_posted(self, job: PostJob, since: datetime) -> int | None:
        self.looked.append((job.guild_id, since))
        if self.history_errors:
            raise self.history_errors.pop(0)
        return self.in_channel.get(job.guild_id)

    async def post(self, job: PostJob) -> int:
        queue = self.failures.get(job.guild_id)
        if queue:
            raise queue.pop(0)
        self.sent.append(job)
        return 1000 + len(self.sent)

    async def notify(self, guild_id: int, text: str) -> None:
        self.notes.append((guild_id, text))


class Jobs:
    """Collects submitted sends so a test decides when they run (or that they never do)."""

    def __init__(self) -> None:
        self.queue: list[Callable[[], Awaitable[None]]] = []

    def submit(self, name: str, job: Callable[[], Awaitable[None]]) -> None:
        self.queue.append(job)

    async def run(self) -> int:
        count = 0
        while self.queue:
            await self.queue.pop(0)()
            count += 1
        return count


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


async def add_schedule(
    db: Storage, guild_id: int, at: str = "09:00", tz: str = "Europe/Berlin"
) -> None:
    rule = Rule(parse_time(at), resolve_timezone(tz))
    run = rule.next_after(START)
    await repo.save_schedule(
        db,
        repo.ScheduleRow(guild_id, guild_id * 10, at, tz, next_run_utc=to_ts(run.at_utc),
                         next_local_date=run.local_date.isoformat()),
    )  # fmt: skip


def source(db: Storage, poster: FakePoster, jobs: Jobs, grace_hours: float = 6) -> PromptDueSource:
    return PromptDueSource(
        db, PROMPTS, poster, jobs.submit, grace=timedelta(hours=grace_hours), retry_delays=(0.01,)
    )


async def test_claims_exactly_once_even_when_run_twice(db: Storage) -> None:
    for gid in (1, 2, 3):
        await add_schedule(db, gid)
    poster, jobs, clock = FakePoster(), Jobs(), FakeClock(START)
    src = source(db, poster, jobs)
    await src.run_due(clock.now())
    assert jobs.queue == []  # nothing due at 08:00
    clock.advance(timedelta(hours=1, seconds=5))
    await src.run_due(clock.now())
    await src.run_due(clock.now())  # a second tick at the same moment claims nothing more
    assert await jobs.run() == 3
    assert sorted(j.guild_id for j in poster.sent) == [1, 2, 3]
    rows = await db.fetchall("SELECT guild_id, status, message_id FROM prompt_posts")
    assert {(r[0], r[1]) for r in rows} == {(1, "sent"), (2, "sent"), (3, "sent")}
    assert all(r[2] for r in rows)
    nxt = await src.next_due()
    assert nxt == datetime(2026, 6, 2, 7, tzinfo=UTC)


async def test_a_second_source_cannot_claim_what_the_first_claimed(db: Storage) -> None:
    """Both tick at once after their start-up. (A start-up's recovery re-sends every claim still
    unsent, another live process's included; that re-send carries the claim's nonce, and
    Discord's enforced nonce keeps the two sends to one message.)"""
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    now = START + timedelta(hours=1)
    first, second = source(db, poster, jobs), source(db, poster, jobs)
    for started in (first, second):
        await started.run_due(START)  # start-up's tick: recovery, nothing due yet
    await asyncio.gather(first.run_due(now), second.run_due(now))
    assert await jobs.run() == 1


async def test_batches_cover_every_due_row(db: Storage) -> None:
    rows = [(gid, gid, "09:00", "Europe/Berlin", to_ts(START + timedelta(hours=1)), "2026-06-01")
            for gid in range(1, 251)]  # fmt: skip
    await db.executemany(
        """INSERT INTO prompt_schedules (guild_id, channel_id, local_time, timezone, next_run_utc,
           next_local_date) VALUES (?, ?, ?, ?, ?, ?)""",
        rows,
    )
    poster, jobs = FakePoster(), Jobs()
    src = PromptDueSource(db, PROMPTS, poster, jobs.submit, grace=timedelta(hours=6), batch_size=40)
    await src.run_due(START + timedelta(hours=1))
    assert await jobs.run() == 250
    assert len({j.guild_id for j in poster.sent}) == 250
    assert await db.fetchval("SELECT COUNT(*) FROM prompt_posts WHERE status = 'sent'") == 250


async def test_restart_inside_grace_resends_with_the_same_nonce(db: Storage) -> None:
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    now = START + timedelta(hours=1)
    await source(db, poster, jobs).run_due(now)
    # The schedule's id, the claim's time (base 36) and the local date.
    claimed_nonce = post_nonce(1, to_ts(now), date(2026, 6, 1))
    jobs.queue.clear()  # the process died before sending
    restarted = Jobs()
    await source(db, poster, restarted).run_due(now + timedelta(hours=2))
    assert await restarted.run() == 1
    assert [j.nonce for j in poster.sent] == [claimed_nonce]
    assert await db.fetchval("SELECT status FROM prompt_posts") == "sent"


async def test_restart_outside_grace_skips_and_does_not_pile_up(db: Storage) -> None:
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    await source(db, poster, jobs).run_due(START + timedelta(hours=1))
    jobs.queue.clear()  # died before sending
    restarted = Jobs()
    later = START + timedelta(hours=9)  # 8 h after 09:00, grace is 6 h
    await source(db, poster, restarted).run_due(later)
    assert await restarted.run() == 0
    assert await db.fetchval("SELECT status FROM prompt_posts") == "missed"


async def test_downtime_over_a_due_time_posts_once_within_grace(db: Storage) -> None:
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    await source(db, poster, jobs).run_due(START + timedelta(hours=3))  # 2 h late
    assert await jobs.run() == 1
    poster2, jobs2 = FakePoster(), Jobs()
    # Down for three days; back 10 h after that day's run: skipped, nothing piles up.
    await source(db, poster2, jobs2).run_due(START + timedelta(days=3, hours=11))
    assert await jobs2.run() == 0
    nxt = await repo.get_schedule(db, 1)
    assert nxt is not None and nxt.next_local_date == "2026-06-05"


async def test_a_catch_up_moves_every_stretch_and_posts_only_within_grace(
    db: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "SERVERS_PER_CHUNK", 3)
    for gid in range(1, 11):
        await add_schedule(db, gid, at="09:00" if gid % 2 else "15:00")
    await add_schedule(db, 11, at="23:00", tz="UTC")  # missed too, and due again tonight
    poster, jobs = FakePoster(), Jobs()
    # 18:00 in Berlin three days on: 09:00 is 9 h late and skipped, 15:00 is 3 h late and posts.
    now = START + timedelta(days=3, hours=10)
    await source(db, poster, jobs).run_due(now)
    assert await jobs.run() == 5
    assert sorted(j.guild_id for j in poster.sent) == [2, 4, 6, 8, 10]
    assert not await db.fetchval(
        "SELECT COUNT(*) FROM prompt_schedules WHERE next_run_utc <= ?", (to_ts(now),)
    )
    late = await repo.get_schedule(db, 1)
    assert late is not None and late.next_local_date == "2026-06-05"
    tonight = await repo.get_schedule(db, 11)
    assert tonight is not None and tonight.next_local_date == "2026-06-04"


async def test_missed_runs_of_a_whole_tick_are_logged_on_one_line(
    db: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    for gid in range(1, 21):
        await add_schedule(db, gid, at="15:00")
    poster, jobs = FakePoster(), Jobs()
    src = PromptDueSource(db, PROMPTS, poster, jobs.submit, grace=timedelta(hours=6), batch_size=3)
    # Three days on, 3 h after 15:00 in Berlin: today's runs post, the two days before were missed.
    await src.run_due(START + timedelta(days=3, hours=10))
    assert await jobs.run() == 20
    lines = [r.getMessage() for r in caplog.records if "missed prompt" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("Skipped 20 missed prompt(s)")


@pytest.mark.parametrize(
    ("error", "words"),
    [(ChannelGone(), "no longer exists"), (MissingAccess("Send Messages"), "Send Messages")],
)
async def test_404_and_403_pause_with_the_reason_and_notify_once(
    db: Storage, error: PostError, words: str
) -> None:
    await add_schedule(db, 1)
    await add_schedule(db, 2)
    poster, jobs = FakePoster(), Jobs()
    poster.failures[1] = [error]
    await source(db, poster, jobs).run_due(START + timedelta(hours=1))
    await jobs.run()
    schedule = await repo.get_schedule(db, 1)
    assert schedule is not None and schedule.next_run_utc is None
    assert schedule.paused_reason is not None and words in schedule.paused_reason
    assert len(poster.notes) == 1 and words in poster.notes[0][1]
    assert [j.guild_id for j in poster.sent] == [2]  # the other server was not held up
    assert await repo.mark_pause_notified(db, 1) is False


async def test_temporary_failures_are_retried(db: Storage) -> None:
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    poster.failures[1] = [TemporaryFailure("503")]
    src = source(db, poster, jobs)
    await src.run_due(START + timedelta(hours=1))
    await jobs.run()
    await asyncio.sleep(0.05)
    await jobs.run()
    assert [j.guild_id for j in poster.sent] == [1]
    assert await db.fetchval("SELECT status FROM prompt_posts") == "sent"


async def test_a_broken_schedule_is_paused_and_the_others_still_post(db: Storage) -> None:
    await add_schedule(db, 1)
    await add_schedule(db, 2)
    await db.execute("UPDATE prompt_schedules SET timezone = 'Mars/Olympus' WHERE guild_id = 1")
    poster, jobs = FakePoster(), Jobs()
    await source(db, poster, jobs).run_due(START + timedelta(hours=1))
    await jobs.run()
    assert [j.guild_id for j in poster.sent] == [2]
    broken = await repo.get_schedule(db, 1)
    assert broken is not None and broken.next_run_utc is None
    assert broken.paused_reason is not None and "/prompts setup" in broken.paused_reason


async def claimed_then_died(db: Storage) -> datetime:
    """Guild 1's post claimed at 09:00 Berlin, then the process died; returns the claim time."""
    await add_schedule(db, 1)
    claimed = START + timedelta(hours=1)
    await source(db, FakePoster(), Jobs()).run_due(claimed)
    return claimed


async def test_restart_after_the_nonce_window_records_a_post_found_in_the_channel(
    db: Storage,
) -> None:
    claimed = await claimed_then_died(db)
    poster, jobs = FakePoster(), Jobs()
    poster.in_channel[1] = 4242
    await source(db, poster, jobs).run_due(claimed + NONCE_WINDOW + timedelta(minutes=1))
    assert await jobs.run() == 1
    assert poster.sent == []
    assert [gid for gid, _ in poster.looked] == [1]
    assert poster.looked[0][1] < claimed  # looks from a little before the claim
    row = await prompt_posts.get_post(db, 1, "2026-06-01")
    assert row is not None and (row.status, row.message_id) == ("sent", 4242)


async def test_restart_after_the_nonce_window_sends_once_when_nothing_is_found(
    db: Storage,
) -> None:
    claimed = await claimed_then_died(db)
    poster, jobs = FakePoster(), Jobs()
    await source(db, poster, jobs).run_due(claimed + timedelta(hours=2))
    assert await jobs.run() == 1
    assert [j.guild_id for j in poster.sent] == [1] and len(poster.looked) == 1
    assert await db.fetchval("SELECT status FROM prompt_posts") == "sent"


async def test_restart_inside_the_nonce_window_trusts_the_nonce(db: Storage) -> None:
    claimed = await claimed_then_died(db)
    poster, jobs = FakePoster(), Jobs()
    poster.in_channel[1] = 4242
    await source(db, poster, jobs).run_due(claimed + NONCE_WINDOW - timedelta(seconds=5))
    assert await jobs.run() == 1
    assert poster.looked == [] and [j.guild_id for j in poster.sent] == [1]


async def test_unreadable_history_sends_unverified_and_says_so(
    db: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    claimed = await claimed_then_died(db)
    poster, jobs = FakePoster(), Jobs()
    poster.history_errors = [MissingAccess("Read Message History")]
    await source(db, poster, jobs).run_due(claimed + timedelta(hours=1))
    assert await jobs.run() == 1
    assert [j.guild_id for j in poster.sent] == [1]
    notes = [r for r in caplog.records if "without that check" in r.getMessage()]
    assert [r.levelno for r in notes] == [logging.INFO]
    schedule = await repo.get_schedule(db, 1)
    assert schedule is not None and schedule.paused_reason is None


async def test_a_passing_history_failure_is_retried_with_the_check(db: Storage) -> None:
    claimed = await claimed_then_died(db)
    poster, jobs = FakePoster(), Jobs()
    poster.history_errors = [TemporaryFailure("503")]
    poster.in_channel[1] = 4242
    await source(db, poster, jobs).run_due(claimed + timedelta(hours=1))
    await jobs.run()
    await asyncio.sleep(0.05)
    await jobs.run()
    assert poster.sent == [] and len(poster.looked) == 2
    row = await prompt_posts.get_post(db, 1, "2026-06-01")
    assert row is not None and row.message_id == 4242


async def test_a_retry_after_the_nonce_window_looks_for_the_first_try(db: Storage) -> None:
    """A 5xx may come back for a message Discord kept; past the window the nonce cannot help."""
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    poster.failures[1] = [TemporaryFailure("502")]
    poster.in_channel[1] = 4242
    wall = FakeClock(START)
    src = PromptDueSource(
        db, PROMPTS, poster, jobs.submit, grace=timedelta(hours=6), retry_delays=(0.01,),
        wall_clock=wall.now,
    )  # fmt: skip
    await src.run_due(START + timedelta(hours=1))
    await jobs.run()
    wall.advance(NONCE_WINDOW + timedelta(seconds=30))
    await asyncio.sleep(0.05)
    await jobs.run()
    assert poster.sent == [] and [gid for gid, _ in poster.looked] == [1]
    assert poster.looked[0][1] < START
    row = await prompt_posts.get_post(db, 1, "2026-06-01")
    assert row is not None and row.message_id == 4242


async def test_a_quick_retry_trusts_the_nonce(db: Storage) -> None:
    await add_schedule(db, 1)
    poster, jobs = FakePoster(), Jobs()
    poster.failures[1] = [TemporaryFailure("502")]
    wall = FakeClock(START)
    src = PromptDueSource(
        db, PROMPTS, poster, jobs.submit, grace=timedelta(hours=6), retry_delays=(0.01,),
        wall_clock=wall.now,
    )  # fmt: skip
    await src.run_due(START + timedelta(hours=1))
    await jobs.run()
    wall.advance(timedelta(seconds=30))
    await asyncio.sleep(0.05)
    await jobs.run()
    assert poster.looked == [] and [j.guild_id for j in poster.sent] == [1]
