"""Daily prompts end to end: the real MutualBot through the stand-in, on a fake clock.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.db import prompt_posts
from bot.db import prompts as repo
from bot.db.settings import update_settings
from bot.services.prompts.dispatch import PromptDueSource
from standin.harness import Sandbox
from standin.people import message_text
from standin.permissions import Perm
from tests.e2e.conftest import make_mutual
from tests.e2e.helpers import after_downtime, bot_of, clock_of, run_timers


def source_of(sandbox: Sandbox) -> PromptDueSource:
    prompts = bot_of(sandbox).prompts
    assert prompts is not None
    return prompts.source


async def setup(sandbox: Sandbox, **options: object) -> None:
    values: dict[str, object] = {
        "channel": "reflections",
        "time": "15:00",
        "timezone": "Europe/Berlin",
    }
    values.update(options)
    reply = await sandbox.person("mod").slash("prompts setup", **values)
    assert "Daily prompts are set" in reply.text, reply.text


def posts(sandbox: Sandbox, channel: str = "reflections") -> list[str]:
    return [message_text(m) for m in sandbox.messages_in(channel)]


async def test_setup_then_the_timer_posts_once_with_a_thread(sandbox: Sandbox) -> None:
    await setup(sandbox)
    status = await sandbox.person("mod").slash("prompts status")
    assert status.ephemeral and status.embed is not None
    upcoming = next(f for f in status.embed["fields"] if f["name"] == "Next posts")["value"]
    assert upcoming.count("<t:") == 5 and upcoming.count(":F>") == 5
    assert upcoming.startswith("Mon 01 Jun 15:00 local")

    clock = clock_of(sandbox)
    clock.advance(timedelta(minutes=59))
    await run_timers(sandbox)
    assert posts(sandbox) == []
    clock.advance(timedelta(minutes=1, seconds=2))
    await run_timers(sandbox)
    await run_timers(sandbox)  # a second tick in the same minute posts nothing more
    messages = sandbox.messages_in("reflections")
    assert len(messages) == 1
    post = messages[0]
    assert post.embeds[0]["title"] == "Today's reflection"
    assert post.nonce is not None and str(post.nonce).endswith(":20260601")
    threads = sandbox.threads_in("reflections")
    assert len(threads) == 1 and threads[0].id == post.id
    assert threads[0].auto_archive_duration == 1440
    assert threads[0].name.startswith("01 Jun · ")
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    assert len(sandbox.messages_in("reflections")) == 2


async def test_bad_input_is_answered_kindly(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    reply = await mod.slash(
        "prompts setup", channel="reflections", time="25:99", timezone="Europe/Berlin"
    )
    assert reply.ephemeral and "9:30 pm" in reply.text and "25:99" in reply.text
    reply = await mod.slash(
        "prompts setup", channel="reflections", time="09:00", timezone="Europe/Berln"
    )
    assert "Did you mean Europe/Berlin" in reply.text
    zones = await mod.autocomplete(
        "prompts setup", "timezone", "new_y", channel="reflections", time="09:00"
    )
    assert {"name": "America/New_York", "value": "America/New_York"} in zones
    await sandbox.standin.deny_bot("general", Perm.SEND_MESSAGES)
    reply = await mod.slash("prompts setup", channel="general", time="09:00", timezone="UTC")
    assert "missing the **Send Messages** permission" in reply.text
    await sandbox.standin.deny_bot("reflections", Perm.CREATE_PUBLIC_THREADS)
    reply = await mod.slash("prompts setup", channel="reflections", time="09:00", timezone="UTC")
    assert "**Create Public Threads**" in reply.text
    assert await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id) is None


async def test_a_thread_option_in_a_channel_without_threads_is_refused(sandbox: Sandbox) -> None:
    await setup(sandbox)
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    thread = sandbox.threads_in("reflections")[0]
    mod = sandbox.person("mod")
    reply = await mod.slash(
        "prompts setup", channel=thread.name, time="09:00", timezone="UTC", thread=True
    )
    assert "can't hold threads" in reply.text
    reply = await mod.slash("prompts setup", channel=thread.name, time="09:00", timezone="UTC")
    assert "Daily prompts are set" in reply.text  # without the option, no thread is assumed


async def test_a_member_without_the_role_is_refused(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    for command in ("prompts setup", "prompts status", "prompts post-now", "prompts review"):
        options = (
            {"channel": "reflections", "time": "09:00", "timezone": "UTC"}
            if command == "prompts setup"
            else {}
        )
        reply = await alice.slash(command, **options)
        assert reply.ephemeral and "Manage Server" in reply.text, (command, reply.text)
    assert await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id) is None


async def test_pause_resume_skip_and_post_now(sandbox: Sandbox) -> None:
    mod, clock = sandbox.person("mod"), clock_of(sandbox)
    await setup(sandbox)
    reply = await mod.slash("prompts pause")
    assert "Paused by a moderator" in reply.text
    status = await mod.slash("prompts status")
    assert status.embed is not None
    assert any(f["name"] == "Paused" for f in status.embed["fields"])
    clock.advance(timedelta(hours=2))  # 16:00 Berlin: today's time passed while paused
    await run_timers(sandbox)
    assert posts(sandbox) == []

    reply = await mod.slash("prompts resume")
    assert "Resumed" in reply.text
    reply = await mod.slash("prompts skip")
    assert "Skipped the prompt of Tuesday 02 June" in reply.text
    clock.advance(timedelta(days=1))  # Tuesday 16:00 Berlin
    await run_timers(sandbox)
    assert posts(sandbox) == []

    now = await mod.slash("prompts post-now")  # Tuesday: the skipped day may still get one now
    assert "Posted today's prompt" in now.text
    assert len(posts(sandbox)) == 1
    again = await mod.slash("prompts post-now")
    assert "already posted" in again.text
    clock.advance(timedelta(hours=23))  # Wednesday 15:00 Berlin: the schedule continues
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 2

    preview = await mod.slash("prompts preview")
    assert preview.ephemeral and preview.embed is not None
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    latest = sandbox.messages_in("reflections")[-1]
    assert latest.embeds[0]["description"] == preview.embed["description"]

    reply = await mod.slash("prompts off")
    assert "off" in reply.text
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 3


async def test_post_now_counts_as_the_day_so_the_schedule_stands_down(sandbox: Sandbox) -> None:
    await setup(sandbox)
    reply = await sandbox.person("mod").slash("prompts post-now")
    assert "Posted" in reply.text
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))  # today's 15:00
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1


async def test_an_approved_suggestion_joins_the_rotation(sandbox: Sandbox) -> None:
    alice, mod = sandbox.person("alice"), sandbox.person("mod")
    form = await alice.slash("prompt suggest")
    assert form.modal is not None
    text = "What small kindness did you give yourself this week?"
    thanks = await alice.submit_modal(form, {"The prompt": text})
    assert "with the moderators" in thanks.text
    assert len(await bot_of(sandbox).personal_data.describe(alice.id)) == 1

    review = await mod.slash("prompts review")
    assert review.embed is not None and review.embed["description"] == text
    assert "alice" not in str(review.embed).lower()
    done = await mod.click(review, "Approve")
    assert "Approved" in done.text and "No suggestions are waiting" in done.text
    assert await bot_of(sandbox).personal_data.describe(alice.id) == []

    # Leave every built-in topic out: the approved prompt is the only one eligible.
    topics = await mod.slash("prompts topics")
    every = [o["value"] for o in topics.components[0]["components"][0]["options"]]
    await mod.select(topics, "Topics to leave out of daily prompts", every)
    await setup(sandbox)
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    assert [m.embeds[0]["description"] for m in sandbox.messages_in("reflections")] == [text]


async def test_403_and_404_pause_with_the_reason_told_once(sandbox: Sandbox) -> None:
    bot, mod, clock = bot_of(sandbox), sandbox.person("mod"), clock_of(sandbox)
    await update_settings(bot.db, sandbox.guild.id, log_channel_id=sandbox.channel("mod-log").id)
    await setup(sandbox)
    await sandbox.standin.deny_bot("reflections", Perm.SEND_MESSAGES)
    clock.advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    status = await mod.slash("prompts status")
    assert status.embed is not None
    paused = next(f for f in status.embed["fields"] if f["name"] == "Paused")["value"]
    assert "Send Messages" in paused
    notes = posts(sandbox, "mod-log")
    assert len(notes) == 1 and "Send Messages" in notes[0]
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    assert len(posts(sandbox, "mod-log")) == 1  # paused: no retry, no second notice

    sandbox.standin.set_overwrite("reflections", bot.user.name if bot.user else "Mutual")
    reply = await mod.slash("prompts resume")
    assert "Resumed" in reply.text
    await sandbox.standin.delete_channel("reflections")
    clock.advance(timedelta(days=1))
    await run_timers(sandbox)
    schedule = await repo.get_schedule(bot.db, sandbox.guild.id)
    assert schedule is not None and schedule.next_run_utc is None
    assert schedule.paused_reason is not None and "no longer exists" in schedule.paused_reason
    assert len(posts(sandbox, "mod-log")) == 2


async def restart(sandbox: Sandbox, clock: FakeClock, ahead: timedelta) -> Sandbox:
    bot = bot_of(sandbox)
    settings, world = bot.settings, sandbox.world
    await sandbox.stop()
    clock.advance(ahead)
    return Sandbox(make_mutual(settings, clock), world=world)


async def test_restart_inside_the_grace_window_sends_the_claimed_post_once(
    sandbox: Sandbox,
) -> None:
    clock = clock_of(sandbox)
    await setup(sandbox)
    source_of(sandbox).submit = lambda name, job: None  # claimed, then the bot "dies"
    clock.advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    assert posts(sandbox) == []
    async with await restart(sandbox, clock, timedelta(hours=2)) as again:
        await after_downtime(again)
        messages = again.messages_in("reflections")
        assert len(messages) == 1 and str(messages[0].nonce).endswith(":20260601")
        await run_timers(again)
        assert len(again.messages_in("reflections")) == 1
        again.assert_no_failures()


async def test_restart_outside_the_grace_window_skips_without_piling_up(
    sandbox: Sandbox,
) -> None:
    clock = clock_of(sandbox)
    await setup(sandbox)
    source_of(sandbox).submit = lambda name, job: None
    clock.advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    async with await restart(sandbox, clock, timedelta(hours=7)) as again:
        await after_downtime(again)
        assert again.messages_in("reflections") == []
        row = await prompt_posts.get_post(bot_of(again).db, again.guild.id, "2026-06-01")
        assert row is not None and row.status == "missed"
        clock.advance(timedelta(hours=17))  # next day's 15:00 Berlin
        await run_timers(again)
        assert len(again.messages_in("reflections")) == 1
        again.assert_no_failures()


async def test_downtime_over_the_due_time_posts_once_when_back_within_grace(
    sandbox: Sandbox,
) -> None:
    clock = clock_of(sandbox)
    await setup(sandbox)
    async with await restart(sandbox, clock, timedelta(hours=3)) as again:  # 17:00 Berlin
        await after_downtime(again)
        assert len(again.messages_in("reflections")) == 1
        again.assert_no_failures()


async def test_pause_until_a_date_resumes_by_itself(sandbox: Sandbox) -> None:
    mod, clock = sandbox.person("mod"), clock_of(sandbox)
    await setup(sandbox)
    reply = await mod.slash("prompts pause", until="2026-06-04")
    assert "until Thursday 04 June 2026" in reply.text
    for _ in range(3):  # Monday to Wednesday
        clock.advance(timedelta(days=1))
        await run_timers(sandbox)
    assert posts(sandbox) == []
    clock.advance(timedelta(hours=1))  # Thursday 15:00 Berlin has passed
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1
    status = await mod.slash("prompts status")
    assert status.embed is not None
    assert not any(f["name"] == "Paused" for f in status.embed["fields"])
    bad = await mod.slash("prompts pause", until="someday")
    assert "YYYY-MM-DD" in bad.text


async def test_pin_excerpt_and_content_note(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    form = await mod.slash("prompts add", topic="family-roots")
    text = "Which family saying still echoes in how you care for others?"
    done = await mod.submit_modal(
        form, {"The prompt": text, "Content note (optional)": "mentions family conflict"}
    )
    assert "Added as prompt #1" in done.text
    topics = await mod.slash("prompts topics")
    others = [
        o["value"]
        for o in topics.components[0]["components"][0]["options"]
        if o["value"] != "family-roots"
    ]
    await mod.select(topics, "Topics to leave out of daily prompts", others)
    family = [p for p in bot_of(sandbox).content.prompts.values() if p.topic == "family-roots"]
    await setup(sandbox, pin=True, excerpt=True, weekdays="mon-fri")
    clock = clock_of(sandbox)
    clock.advance(timedelta(hours=1, seconds=1))
    weekdays: list[int] = []
    for _ in range(20):  # until every eligible prompt was used once
        before = len(sandbox.messages_in("reflections"))
        await run_timers(sandbox)
        if len(sandbox.messages_in("reflections")) > before:
            weekdays.append(clock.now().weekday())
        if len(sandbox.messages_in("reflections")) == len(family) + 1:
            break
        clock.advance(timedelta(days=1))
    assert all(day < 5 for day in weekdays)
    messages = sandbox.messages_in("reflections")
    seen = [m.embeds[0]["description"] for m in messages]
    assert len(seen) == len(set(seen)) == len(family) + 1  # no repeat before exhaustion
    assert [m.pinned for m in messages] == [False] * (len(messages) - 1) + [True]
    for message in messages:
        assert message.embeds[0]["fields"][0]["name"] == "Excerpt of the day"
    ours = next(m for m in messages if m.embeds[0]["description"] == f"||{text}||")
    assert ours.content == (
        "**Content note:** mentions family conflict. The text is hidden until you tap it."
    )
    for message in messages:  # every post points to help, noted or not
        assert "/resources" in message.embeds[0]["footer"]["text"]
    for _ in range(3):  # the next weekday starts the next cycle
        clock.advance(timedelta(days=1))
        await run_timers(sandbox)
    assert len(sandbox.messages_in("reflections")) == len(family) + 2


async def test_a_429_and_a_500_are_retried_into_one_post(sandbox: Sandbox) -> None:
    await setup(sandbox, thread=False)
    sandbox.standin.force_rate_limit("POST /channels/{}/messages", count=1, retry_after=0.05)
    sandbox.standin.inject_errors("POST /channels/{}/messages", count=1, status=500)
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    assert len(posts(sandbox)) == 1
    statuses = [
        r.status
        for r in sandbox.standin.requests
        if r.method == "POST" and r.route == "/channels/{}/messages"
    ]
    assert statuses == [429, 500, 200]
    schedule = await repo.get_schedule(bot_of(sandbox).db, sandbox.guild.id)
    assert schedule is not None and schedule.paused_reason is None


async def test_times_and_zones_as_people_type_them(sandbox: Sandbox) -> None:
    """'9am' in 'EST' is 09:00 in New York with its summer time; 'AEST' asks which place."""
    mod = sandbox.person("mod")
    for time, meant in (("9am", "09:00"), ("9:30 pm", "21:30"), ("21h", "21:00")):
        reply = await mod.slash("prompts setup", channel="reflections", time=time, timezone="EST")
        assert "Daily prompts are set" in reply.text, reply.text
        status = await mod.slash("prompts status")
        assert f"{meant} (America/New_York)" in status.text
    asked = await mod.slash("prompts setup", channel="reflections", time="9am", timezone="AEST")
    assert "Australia/Sydney, Australia/Brisbane" in asked.text and asked.ephemeral
    status = await mod.slash("prompts status")
    assert "21:00 (America/New_York)" in status.text  # the ambiguous change kept nothing
    offered = await mod.autocomplete("prompts setup", "timezone", "melbourne")
    assert [c["value"] for c in offered] == ["Australia/Melbourne"]
    sandbox.assert_no_failures()


async def test_post_now_after_a_permanent_refusal_says_so(sandbox: Sandbox) -> None:
    """A 400 is not 'Discord is busy': nothing is retried, and the reply says what happened."""
    await setup(sandbox)
    sandbox.standin.inject_errors("POST /channels/{}/messages", count=1, status=400)
    reply = await sandbox.person("mod").slash("prompts post-now")
    assert "refused this post" in reply.text and "won't retry" in reply.text, reply.text
    assert "busy" not in reply.text
    assert posts(sandbox) == []
