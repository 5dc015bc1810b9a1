"""/discuss start on the prompt the server posted today, end to end through the stand-in.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from datetime import timedelta

from bot.db import discussions as discussions_repo
from bot.db import prompt_posts as prompts_repo
from bot.services.discussions.sources import POSTED_PROMPT
from standin.harness import Sandbox
from tests.e2e.helpers import bot_of, clock_of, run_timers


def without_note(description: str) -> str:
    """The description as it reads once a content note is passed and its spoilers are opened."""
    if description.startswith("**Content note:**"):
        description = description.split("\n\n", 1)[1]
    return description.replace("||", "")


async def post_todays_prompt(sandbox: Sandbox) -> str:
    """Daily prompts at 15:00 Berlin, posted by the timer an hour later; the text members saw."""
    reply = await sandbox.person("mod").slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    assert "Daily prompts are set" in reply.text, reply.text
    clock_of(sandbox).advance(timedelta(hours=1, seconds=2))
    await run_timers(sandbox)
    posted = sandbox.messages_in("reflections")
    assert len(posted) == 1 and posted[0].embeds[0]["title"] == "Today's reflection"
    return without_note(str(posted[0].embeds[0]["description"]))


async def test_todays_posted_prompt_is_the_first_choice_and_opens_a_discussion(
    sandbox: Sandbox,
) -> None:
    text = await post_todays_prompt(sandbox)
    mod = sandbox.person("mod")
    choices = await mod.autocomplete("discuss start", "prompt", "")
    assert len(choices) == 25
    assert choices[0]["value"] == POSTED_PROMPT
    assert choices[0]["name"].startswith("Today's prompt: ")
    assert text.startswith(choices[0]["name"].removeprefix("Today's prompt: ").rstrip("…"))
    assert [c["value"] for c in choices].count(POSTED_PROMPT) == 1

    reply = await mod.slash("discuss start", prompt=POSTED_PROMPT)
    assert reply.ephemeral and "is open in" in reply.text, reply.text
    threads = sandbox.threads_in("general")
    assert len(threads) == 1
    opening = sandbox.messages_in("general")[-1]
    assert opening.id == threads[0].id
    description = without_note(opening.embeds[0]["description"])
    assert description.startswith("Today's prompt on **")
    quoted = "\n".join(line.removeprefix("> ") for line in description.splitlines()[1:])
    assert quoted == text
    fields = [f["name"] for f in opening.embeds[0]["fields"]]
    assert "Questions to start with" in fields and "Ground rules" in fields

    bot = bot_of(sandbox)
    post = await prompts_repo.get_post(bot.db, sandbox.guild.id, "2026-06-01")
    assert post is not None and bot.content.prompts[post.prompt_key].text == text
    row = await discussions_repo.discussion_by_thread(bot.db, threads[0].id)
    assert row is not None and (row.source_kind, row.source_id) == ("prompt", post.prompt_key)


async def test_a_later_day_offers_the_latest_prompt_with_its_date(sandbox: Sandbox) -> None:
    text = await post_todays_prompt(sandbox)
    await sandbox.person("mod").slash("prompts pause")
    clock_of(sandbox).advance(timedelta(days=2))
    choices = await sandbox.person("mod").autocomplete("discuss start", "prompt", "latest")
    assert choices and choices[0]["value"] == POSTED_PROMPT
    assert choices[0]["name"].startswith("Latest prompt (01 Jun): ")
    await sandbox.person("mod").slash("discuss start", prompt=POSTED_PROMPT)
    opening = sandbox.messages_in("general")[-1]
    description = without_note(opening.embeds[0]["description"])
    assert description.startswith("The prompt of Monday 01 June on **")
    assert f"> {text}" in description


async def test_without_a_posted_prompt_the_facilitator_is_told_kindly(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    choices = await mod.autocomplete("discuss start", "prompt", "")
    assert choices and all(c["value"] != POSTED_PROMPT for c in choices)
    reply = await mod.slash("discuss start", prompt=POSTED_PROMPT)
    assert reply.ephemeral
    assert "hasn't posted a daily prompt yet" in reply.text and "/prompts setup" in reply.text
    assert sandbox.threads_in("general") == []
    assert await bot_of(sandbox).db.fetchval("SELECT COUNT(*) FROM discussions") == 0
    # Set up but not yet posted (before 15:00 Berlin) is still nothing to discuss.
    await mod.slash("prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin")
    again = await mod.slash("discuss start", prompt=POSTED_PROMPT)
    assert "hasn't posted a daily prompt yet" in again.text
    scheduled = await mod.slash(
        "discuss schedule", when="2026-06-02 10:00", timezone="UTC", prompt=POSTED_PROMPT
    )
    assert scheduled.ephemeral and "/discuss start" in scheduled.text
