"""Two prompt schedules in one server, end to end: a weekday channel and a weekend one.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin). The weekday
schedule posts in #reflections at 15:00 Berlin, Monday to Friday; the weekend one in #general at
10:00 Berlin on Saturday and Sunday. Each posts on its own days, exactly once a day, across a
bot restart too.
"""

from __future__ import annotations

from datetime import timedelta

from bot.db import prompts as repo
from standin.harness import Sandbox
from tests.e2e.helpers import after_downtime, bot_of, clock_of, run_timers
from tests.e2e.test_prompts import restart, setup, source_of


def prompt_days(sandbox: Sandbox, channel: str) -> list[str]:
    """The local date each prompt in the channel is for (its footer's last word)."""
    return [
        m.embeds[0]["footer"]["text"].rsplit(" ", 1)[-1]
        for m in sandbox.messages_in(channel)
        if m.embeds
    ]


async def two_schedules(sandbox: Sandbox) -> None:
    await setup(sandbox, weekdays="weekdays", schedule="weekdays")
    await setup(
        sandbox,
        channel="general",
        time="10:00",
        weekdays="weekends",
        schedule="weekend",
        thread=False,
    )


async def test_a_weekday_and_a_weekend_schedule_post_on_their_own_days(sandbox: Sandbox) -> None:
    await two_schedules(sandbox)
    mod = sandbox.person("mod")
    listed = await mod.slash("prompts schedules")
    assert listed.ephemeral and listed.embed is not None
    lines = listed.embed["description"].split("\n")
    assert lines[0].startswith("**weekdays**: <#") and "Monday to Friday" in lines[0]
    assert lines[1].startswith("**weekend**: <#") and "Saturday and Sunday" in lines[1]
    names = await mod.autocomplete("prompts status", "schedule", "we")
    assert [c["value"] for c in names] == ["weekdays", "weekend"]
    status = await mod.slash("prompts status", schedule="weekend")
    assert status.embed is not None and status.embed["title"] == "Daily prompts: weekend"
    upcoming = next(f for f in status.embed["fields"] if f["name"] == "Next posts")["value"]
    assert upcoming.startswith("Sat 06 Jun 10:00 local")

    clock = clock_of(sandbox)
    for _ in range(8 * 24):  # to Tuesday 9 June 14:00 Berlin, an hour at a time
        clock.advance(timedelta(hours=1))
        await run_timers(sandbox)
    weekdays = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05"]
    assert prompt_days(sandbox, "reflections") == [*weekdays, "2026-06-08"]
    assert prompt_days(sandbox, "general") == ["2026-06-06", "2026-06-07"]
    assert sandbox.threads_in("general") == []
    sandbox.assert_no_failures()


async def test_post_now_and_pause_act_on_the_named_schedule_only(sandbox: Sandbox) -> None:
    await two_schedules(sandbox)
    mod = sandbox.person("mod")
    posted = await mod.slash("prompts post-now", schedule="weekend")
    assert "Posted today's prompt" in posted.text
    assert prompt_days(sandbox, "general") == ["2026-06-01"]
    again = await mod.slash("prompts post-now", schedule="weekend")
    assert "already posted" in again.text
    first = await mod.slash("prompts post-now")  # no name: the server's first schedule
    assert "Posted today's prompt" in first.text
    assert prompt_days(sandbox, "reflections") == ["2026-06-01"]
    [a] = [m for m in sandbox.messages_in("general") if m.embeds]
    [b] = [m for m in sandbox.messages_in("reflections") if m.embeds]
    assert a.embeds[0]["description"] != b.embeds[0]["description"]  # never the same prompt
    assert a.nonce != b.nonce

    paused = await mod.slash("prompts pause", schedule="weekend")
    assert "Paused" in paused.text
    weekend = await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id, "weekend")
    weekday = await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id, "weekdays")
    assert weekend is not None and weekend.paused_reason is not None
    assert weekday is not None and weekday.paused_reason is None

    unknown = await mod.slash("prompts resume", schedule="holidays")
    assert "no schedule called “holidays”" in unknown.text
    assert "weekdays, weekend" in unknown.text


async def test_a_restart_sends_each_schedules_claim_once(sandbox: Sandbox) -> None:
    await two_schedules(sandbox)
    clock = clock_of(sandbox)
    # Friday 15:00 Berlin, then on to Saturday 10:00 Berlin: both claimed, neither sent.
    clock.advance(timedelta(days=4, hours=1, seconds=1))
    await run_timers(sandbox)
    source_of(sandbox).submit = lambda name, job: None  # claimed, then the bot "dies"
    clock.advance(timedelta(hours=19))
    await run_timers(sandbox)
    assert prompt_days(sandbox, "general") == []
    async with await restart(sandbox, clock, timedelta(minutes=30)) as again:
        await after_downtime(again)
        assert prompt_days(again, "general") == ["2026-06-06"]
        await run_timers(again)
        assert prompt_days(again, "general") == ["2026-06-06"]
        clock.advance(timedelta(days=1))
        await run_timers(again)
        assert prompt_days(again, "general") == ["2026-06-06", "2026-06-07"]
        clock.advance(timedelta(days=1, hours=5))  # Monday 15:00 Berlin
        await run_timers(again)
        # Monday to Thursday were skipped by the jump ahead (long past the grace).
        assert prompt_days(again, "reflections") == ["2026-06-05", "2026-06-08"]
        assert prompt_days(again, "general") == ["2026-06-06", "2026-06-07"]
        again.assert_no_failures()


async def test_removing_a_schedule_asks_first_and_the_limit_is_kind(sandbox: Sandbox) -> None:
    await two_schedules(sandbox)
    mod = sandbox.person("mod")
    asked = await mod.slash("prompts remove-schedule", schedule="weekend")
    assert asked.ephemeral and "Remove the schedule “weekend”" in asked.text
    assert await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id, "weekend") is not None
    done = await mod.click(asked, "Remove this schedule")
    assert "is removed" in done.text
    assert await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id, "weekend") is None
    assert await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id, "weekdays") is not None

    for name in ("two", "three", "four", "five"):
        await setup(sandbox, schedule=name)
    refused = await mod.slash(
        "prompts setup", channel="general", time="9:00", timezone="Europe/Berlin", schedule="six"
    )
    assert "already has 5 prompt schedules" in refused.text
    changed = await mod.slash(
        "prompts setup", channel="general", time="9:00", timezone="Europe/Berlin", schedule="Five"
    )
    assert "Daily prompts are set" in changed.text  # an existing name is changed, not added


async def test_a_schedule_keeps_to_its_own_topics(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    unknown = await mod.slash(
        "prompts setup", channel="general", time="10:00", timezone="Europe/Berlin",
        schedule="weekend", topics="trust, astrology",
    )  # fmt: skip
    assert "I don't know the topic “astrology”" in unknown.text
    await setup(sandbox, schedule="weekend", channel="general", topics="Trust, boundaries")
    status = await mod.slash("prompts status", schedule="weekend")
    assert status.embed is not None
    shown = next(f for f in status.embed["fields"] if f["name"] == "Topics")["value"]
    assert shown == "Trust, Boundaries"
    content = bot_of(sandbox).content
    labels = {content.topic_label("trust"), content.topic_label("boundaries")}
    for _ in range(4):
        await mod.slash("prompts post-now", schedule="weekend")
        clock_of(sandbox).advance(timedelta(days=1))
    footers = [m.embeds[0]["footer"]["text"] for m in sandbox.messages_in("general") if m.embeds]
    assert len(footers) == 4
    assert all(f.split(" · ")[0] in labels for f in footers), footers
