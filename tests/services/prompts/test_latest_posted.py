"""`PromptSchedules.latest_posted`: the prompt a server really posted, for discussions to use."""

from datetime import UTC, date, datetime

import pytest

from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Content, load_content
from bot.db import Storage, prompt_posts
from bot.db import prompt_library as library
from bot.db import prompts as repo
from bot.services.prompts.manage import PromptSchedules

GUILD = 7
# 23:30 UTC on Monday 1 June is already Tuesday 2 June in Berlin.
NOW = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DEFAULT_CONTENT_DIR)


@pytest.fixture
def db(storage: Storage) -> Storage:
    """The shared fixture's database, SQLite and PostgreSQL in turn."""
    return storage


@pytest.fixture
def schedules(db: Storage, content: Content) -> PromptSchedules:
    return PromptSchedules(db, content, FakeClock(NOW))


async def post(db: Storage, day: str, key: str, status: str = "sent") -> None:
    await prompt_posts.claim_posts(db, [(GUILD, "daily", day, 99, key, 0, 0)])
    if status == "sent":
        await prompt_posts.record_sent(db, [(1000, GUILD, "daily", day)])
    elif status != "claimed":
        await prompt_posts.set_post_status(db, GUILD, "daily", day, status)


async def with_schedule(db: Storage, timezone: str) -> None:
    await repo.save_schedule(db, repo.ScheduleRow(GUILD, 99, "09:00", timezone))


async def test_nothing_posted_is_none(schedules: PromptSchedules, db: Storage) -> None:
    assert await schedules.latest_posted(GUILD) is None
    await post(db, "2026-06-01", "trust-001", status="claimed")
    await post(db, "2026-05-31", "trust-002", status="failed")
    assert await schedules.latest_posted(GUILD) is None


async def test_the_latest_sent_built_in_prompt_is_today_in_the_servers_timezone(
    schedules: PromptSchedules, db: Storage, content: Content
) -> None:
    await with_schedule(db, "Europe/Berlin")
    await post(db, "2026-06-01", "trust-001")
    await post(db, "2026-06-02", "trust-002")
    await post(db, "2026-06-03", "trust-003", status="claimed")  # not (yet) seen by anyone
    found = await schedules.latest_posted(GUILD)
    assert found is not None
    assert found.prompt.key == "trust-002"
    assert found.prompt.text == content.prompts["trust-002"].text
    assert found.prompt.topic == content.prompts["trust-002"].topic
    assert found.local_date == date(2026, 6, 2) and found.today


async def test_an_older_post_is_not_today(schedules: PromptSchedules, db: Storage) -> None:
    await with_schedule(db, "UTC")
    await post(db, "2026-05-30", "trust-001")
    found = await schedules.latest_posted(GUILD)
    assert found is not None and found.local_date == date(2026, 5, 30) and not found.today
    other = await schedules.latest_posted(GUILD + 1)
    assert other is None


async def test_a_servers_own_prompt_and_a_removed_one(
    schedules: PromptSchedules, db: Storage
) -> None:
    own = await library.add_custom(
        db, GUILD, "What helped you rest this week?", None, None, "moderator"
    )
    gone = await library.add_custom(
        db, GUILD, "A prompt removed later on.", None, None, "moderator"
    )
    await post(db, "2026-05-31", f"c:{own}")
    await post(db, "2026-06-01", f"c:{gone}")
    await library.remove_custom(db, GUILD, gone)
    found = await schedules.latest_posted(GUILD)  # no schedule any more: dates are UTC
    assert found is not None
    assert found.prompt.key == f"c:{own}" and found.prompt.is_custom
    assert found.prompt.text == "What helped you rest this week?" and found.prompt.topic is None
    assert found.local_date == date(2026, 5, 31) and not found.today
