"""Discussions on the prompt the server posted: resolving the special value, choices, refusals."""

from datetime import date

import pytest

from bot.clock import FakeClock
from bot.content import Content
from bot.db import Storage
from bot.db import discussions as repo
from bot.errors import UserFacingError
from bot.services.discussions import Discussions
from bot.services.discussions.sources import (
    CHOICE_NAME_MAX,
    POSTED_PROMPT,
    localised,
    posted_choice,
    prompt_choices,
)
from bot.services.prompts.model import PostedPrompt, PromptText
from tests.services.discussions.conftest import CHANNEL, GUILD, RecordingPlatform, plain_attribution


def with_posted(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform,
    posted: PostedPrompt | None,
) -> tuple[Discussions, list[int]]:  # fmt: skip
    asked: list[int] = []

    async def latest(guild_id: int) -> PostedPrompt | None:
        asked.append(guild_id)
        return posted

    discussions = Discussions(
        db, content, clock, platform, attribution=plain_attribution, latest_prompt=latest
    )
    return discussions, asked


def built_in(content: Content, today: bool = True) -> PostedPrompt:
    prompt = content.prompts["trust-001"]
    text = PromptText(prompt.id, prompt.text, prompt.topic, None, prompt.content_notes)
    return PostedPrompt(text, date(2025, 3, 1), today=today)


async def test_todays_prompt_opens_with_its_text_and_topic_guide(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    posted = built_in(content)
    discussions, asked = with_posted(db, content, clock, platform, posted)
    started = await discussions.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    assert asked == [GUILD]
    plan = platform.opened[0].plan
    assert plan.passage == posted.prompt.text and plan.lead == "Today's prompt"
    assert plan.topic_label == "Trust" and 2 <= len(plan.questions) <= 3
    assert content.guides[plan.guide_id or ""].topic == "trust"
    row = await repo.get_discussion(db, started.discussion_id)
    assert row is not None and (row.source_kind, row.source_id) == ("prompt", "trust-001")


async def test_a_servers_own_prompt_without_topic_still_opens(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    own = PromptText("c:12", "What helped you rest this week?", None, "Mentions sleep")
    posted = PostedPrompt(own, date(2025, 2, 27), today=False)
    discussions, _ = with_posted(db, content, clock, platform, posted)
    await discussions.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    plan = platform.opened[0].plan
    assert plan.passage == own.text and plan.content_warning == "Mentions sleep"
    assert plan.lead == "The prompt of Thursday 27 February" and plan.title == plan.lead
    assert plan.topic_label == "" and plan.questions == () and plan.source_id == "c:12"


async def test_no_posted_prompt_is_said_kindly_and_nothing_is_stored(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    discussions, _ = with_posted(db, content, clock, platform, None)
    with pytest.raises(UserFacingError, match="hasn't posted a daily prompt yet"):
        await discussions.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    without_feature = Discussions(db, content, clock, platform, attribution=plain_attribution)
    assert await without_feature.latest_prompt(GUILD) is None
    with pytest.raises(UserFacingError, match="hasn't posted a daily prompt yet"):
        await without_feature.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    assert platform.opened == [] and await db.fetchval("SELECT COUNT(*) FROM discussions") == 0


async def test_scheduling_on_todays_prompt_points_to_start(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    discussions, _ = with_posted(db, content, clock, platform, built_in(content))
    with pytest.raises(UserFacingError, match="/discuss start"):
        await discussions.schedule(
            GUILD, CHANNEL, "prompt", POSTED_PROMPT, when="2025-03-02 10:00", timezone="UTC",
            duration_minutes=30,
        )  # fmt: skip
    assert platform.announced == []


def test_the_choice_names_the_day_and_fits_discord(content: Content) -> None:
    today = posted_choice(built_in(content), "")
    assert today is not None and today[1] == POSTED_PROMPT
    assert today[0].startswith("Today's prompt: ") and len(today[0]) <= CHOICE_NAME_MAX
    older = posted_choice(built_in(content, today=False), "latest")
    assert older is not None and older[0].startswith("Latest prompt (01 Mar): ")
    assert posted_choice(built_in(content), "gardening") is None
    assert posted_choice(None, "") is None
    assert all(value != POSTED_PROMPT for _, value in prompt_choices(content, ""))


async def test_a_posted_plan_is_looked_up_again_in_another_language(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    spanish = content.for_locale("es-ES")
    discussions, _ = with_posted(db, content, clock, platform, built_in(content))
    await discussions.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    plan = localised(spanish, platform.opened[0].plan)
    assert plan.passage == spanish.prompts["trust-001"].text != content.prompts["trust-001"].text
    guide = spanish.guides[plan.guide_id or ""]
    assert plan.title == guide.title and plan.questions == guide.questions[: len(plan.questions)]
    assert plan.topic_label == spanish.topic_label("trust")


async def test_a_servers_own_prompt_keeps_its_words_in_another_language(
    db: Storage, content: Content, clock: FakeClock, platform: RecordingPlatform
) -> None:
    own = PromptText("c:12", "What helped you rest this week?", None, "Mentions sleep")
    discussions, _ = with_posted(
        db, content, clock, platform, PostedPrompt(own, date(2025, 2, 27), today=False)
    )
    await discussions.start(GUILD, CHANNEL, "prompt", POSTED_PROMPT, duration_minutes=30)
    plan = localised(content.for_locale("es-ES"), platform.opened[0].plan)
    assert (plan.passage, plan.content_warning) == (own.text, "Mentions sleep")
    assert plan.title == plan.lead == "The prompt of Thursday 27 February"  # no catalog: English
