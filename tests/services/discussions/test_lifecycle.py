from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.content import Content
from bot.db import Storage
from bot.db import discussions as repo
from bot.db.settings import update_settings
from bot.errors import UserFacingError
from bot.services.discussions import Discussions, DiscussionTimers, choose_source
from tests.services.discussions.conftest import CHANNEL, GUILD, RecordingPlatform


def run_now(jobs: list) -> object:
    def submit(name: str, job) -> None:  # type: ignore[no-untyped-def]
        jobs.append(job)

    return submit


async def test_start_from_each_source_kind_shows_guide_questions(
    discussions: Discussions, platform: RecordingPlatform, content: Content, db: Storage
) -> None:
    await update_settings(db, GUILD, ground_rules="Be gentle.")
    excerpt = next(iter(content.excerpts.values()))
    prompt = next(iter(content.prompts.values()))
    for kind, source in (("topic", "trust"), ("excerpt", excerpt.id), ("prompt", prompt.id)):
        started = await discussions.start(GUILD, CHANNEL, kind, source, duration_minutes=30)  # type: ignore[arg-type]
        assert started.thread_id
    topic_plan, excerpt_plan, prompt_plan = (o.plan for o in platform.opened)
    assert topic_plan.passage is None and 2 <= len(topic_plan.questions) <= 3
    assert excerpt_plan.passage == excerpt.text and excerpt_plan.attribution
    assert prompt_plan.passage == prompt.text
    for plan in (topic_plan, excerpt_plan, prompt_plan):
        guide = content.guides[plan.guide_id or ""]
        assert set(plan.questions) <= set(guide.questions)
    assert all(o.ground_rules == "Be gentle." for o in platform.opened)
    assert platform.opened[0].close_at == discussions.clock.now() + timedelta(minutes=30)


def test_exactly_one_source_is_required() -> None:
    with pytest.raises(UserFacingError, match="choose what"):
        choose_source(None, None, None)
    with pytest.raises(UserFacingError, match="just one"):
        choose_source("trust", "x", None)
    assert choose_source(None, None, "p") == ("prompt", "p")


async def test_unknown_source_and_missing_permission_leave_nothing_behind(
    discussions: Discussions, platform: RecordingPlatform, db: Storage
) -> None:
    with pytest.raises(UserFacingError, match="topic"):
        await discussions.start(GUILD, CHANNEL, "topic", "gardening", duration_minutes=30)
    platform.missing = ["Create Public Threads"]
    with pytest.raises(UserFacingError, match="Create Public Threads"):
        await discussions.start(GUILD, CHANNEL, "topic", "trust", duration_minutes=30)
    assert await db.fetchval("SELECT COUNT(*) FROM discussions") == 0


async def test_close_by_command_counts_and_happens_once(
    discussions: Discussions, platform: RecordingPlatform, clock: FakeClock
) -> None:
    started = await discussions.start(GUILD, CHANNEL, "topic", "trust", duration_minutes=60)
    clock.advance(timedelta(minutes=25))
    summary = await discussions.close(GUILD, thread_id=started.thread_id, note="Thank you")
    assert summary.duration == timedelta(minutes=25)
    assert (summary.messages, summary.people, summary.note) == (12, 3, "Thank you")
    assert not summary.by_timer
    with pytest.raises(UserFacingError):
        await discussions.close(GUILD, thread_id=started.thread_id)
    assert len(platform.closed) == 1


async def test_timer_closes_at_the_end_and_survives_a_new_service(
    discussions: Discussions, platform: RecordingPlatform, clock: FakeClock, db: Storage
) -> None:
    started = await discussions.start(GUILD, CHANNEL, "topic", "trust", duration_minutes=45)
    assert await discussions.next_due() == started.close_at
    jobs: list = []
    # A fresh service on the same database: what a restart amounts to.
    fresh = Discussions(db, discussions.content, clock, platform, attribution=lambda e: "")
    timers = DiscussionTimers(fresh, db, run_now(jobs))  # type: ignore[arg-type]
    await timers.run_due(clock.now())
    assert jobs == []
    clock.advance(timedelta(minutes=45))
    await timers.run_due(clock.now())
    for job in jobs:
        await job()
    assert len(platform.closed) == 1 and platform.closed[0].by_timer
    assert await fresh.next_due() is None


async def test_schedule_announces_reminds_opens_and_cancel(
    discussions: Discussions, platform: RecordingPlatform, clock: FakeClock, db: Storage
) -> None:
    planned = await discussions.schedule(
        GUILD,
        CHANNEL,
        "topic",
        "boundaries",
        when="2025-03-01 20:00",
        timezone="Europe/Berlin",
        duration_minutes=60,
        remind_minutes=30,
    )
    assert planned.starts_at == clock.now() + timedelta(hours=7)  # 20:00 CET is 19:00 UTC
    assert planned.remind_at == planned.starts_at - timedelta(minutes=30)
    assert len(platform.announced) == 1
    jobs: list = []
    timers = DiscussionTimers(discussions, db, run_now(jobs))  # type: ignore[arg-type]
    clock.set(planned.remind_at)
    await timers.run_due(clock.now())
    for job in jobs:
        await job()
    assert len(platform.reminded) == 1
    jobs.clear()
    clock.set(planned.starts_at)
    await timers.run_due(clock.now())
    for job in jobs:
        await job()
    assert len(platform.opened) == 1 and len(platform.reminded) == 1
    row = await repo.get_discussion(db, planned.discussion_id)
    assert row is not None and row.state == "open" and row.thread_id

    other = await discussions.schedule(
        GUILD,
        CHANNEL,
        "topic",
        "trust",
        when="2025-03-02 09:00",
        timezone="UTC",
        duration_minutes=60,
    )
    await discussions.cancel(GUILD, other.discussion_id)
    assert len(platform.withdrawn) == 1
    with pytest.raises(UserFacingError):
        await discussions.cancel(GUILD, other.discussion_id)
    listing = await discussions.listing(GUILD)
    assert [r.id for r in listing.open] == [planned.discussion_id] and listing.scheduled == []


@pytest.mark.parametrize(
    ("when", "zone", "problem"),
    [
        ("tomorrow", "UTC", "YYYY-MM-DD"),
        ("2025-03-01 12:01", "UTC", "too soon"),
        ("2025-03-30 02:30", "Europe/Berlin", "doesn't exist"),
        ("2025-03-02 10:00", "Mars/Olympus", "timezone"),
        ("2026-03-02 10:00", "UTC", "90 days"),
    ],
)
async def test_schedule_refuses_impossible_times_kindly(
    discussions: Discussions, when: str, zone: str, problem: str
) -> None:
    with pytest.raises(UserFacingError, match=problem):
        await discussions.schedule(
            GUILD, CHANNEL, "topic", "trust", when=when, timezone=zone, duration_minutes=60
        )


async def test_a_scheduled_opening_that_fails_tells_facilitators(
    discussions: Discussions, platform: RecordingPlatform, clock: FakeClock, db: Storage
) -> None:
    planned = await discussions.schedule(
        GUILD,
        CHANNEL,
        "topic",
        "trust",
        when="2025-03-01 13:00",
        timezone="UTC",
        duration_minutes=60,
        remind_minutes=0,
    )
    platform.missing = ["Manage Threads"]
    jobs: list = []
    clock.set(planned.starts_at)
    await DiscussionTimers(discussions, db, run_now(jobs)).run_due(clock.now())  # type: ignore[arg-type]
    for job in jobs:
        await job()
    assert platform.told and "Manage Threads" in platform.told[0]
    row = await repo.get_discussion(db, planned.discussion_id)
    assert row is not None and row.state == "failed"


async def test_an_opening_interrupted_by_a_restart_is_reported_once(
    discussions: Discussions, platform: RecordingPlatform, clock: FakeClock, db: Storage
) -> None:
    planned = await discussions.schedule(
        GUILD,
        CHANNEL,
        "topic",
        "trust",
        when="2025-03-01 13:00",
        timezone="UTC",
        duration_minutes=60,
        remind_minutes=0,
    )
    clock.set(planned.starts_at)
    dropped: list = []
    # The tick claims the opening, but the bot stops before the job runs.
    await DiscussionTimers(discussions, db, run_now(dropped)).run_due(clock.now())  # type: ignore[arg-type]
    assert len(dropped) == 1
    jobs: list = []
    timers = DiscussionTimers(discussions, db, run_now(jobs))  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=16))
    await timers.run_due(clock.now())
    await timers.run_due(clock.now())
    for job in jobs:
        await job()
    assert len(platform.told) == 1 and "interrupted" in platform.told[0]
    row = await repo.get_discussion(db, planned.discussion_id)
    assert row is not None and row.state == "failed" and platform.opened == []
