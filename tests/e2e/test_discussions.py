"""/discuss and /ask end to end: the real MutualBot through the Discord stand-in."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.app import MutualBot
from bot.clock import FakeClock
from standin.harness import Sandbox
from standin.people import Reply, message_text
from standin.permissions import Perm
from standin.state import Channel, Message
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import bot_of, clock_of, run_timers


def local(clock: FakeClock, ahead: timedelta, zone: str) -> str:
    """The wall-clock time `ahead` of now in `zone`, as a facilitator would type it."""
    return (clock.now() + ahead).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def only_thread(sandbox: Sandbox, channel: str) -> Channel:
    threads = sandbox.threads_in(channel)
    assert len(threads) == 1, threads
    return threads[0]


def field(message: Message | Reply, name: str) -> str:
    embeds = message.embeds
    for embed in embeds:
        for item in embed.get("fields") or []:
            if item["name"] == name:
                return str(item["value"])
    raise AssertionError(f"no field {name!r} in {embeds}")


# -- starting from each source kind -----------------------------------------------------------


async def test_topic_opens_a_thread_with_questions_rules_and_closing_time(
    sandbox: Sandbox,
) -> None:
    mod = sandbox.person("mod")
    suggestions = await mod.autocomplete("discuss start", "topic", "trus")
    assert {"name": "Trust", "value": "trust"} in suggestions
    thread = await start(sandbox, topic="trust", duration=90)
    opening = sandbox.messages_in("general")[-1]
    assert opening.id == thread.id  # the thread grew from the opening message
    guides = [g for g in bot_of(sandbox).content.guides.values() if g.topic == "trust"]
    shown = field(opening, "Questions to start with").splitlines()
    assert 2 <= len(shown) <= 3
    assert any(all(line[3:] in g.questions for line in shown) for g in guides)
    assert "own experience" in field(opening, "Ground rules")
    close_at = clock_of(sandbox).now() + timedelta(minutes=90)
    assert f"<t:{int(close_at.timestamp())}:F>" in field(opening, "Closes")
    assert "Ask anonymously" in [
        c["label"] for row in opening.components for c in row["components"]
    ]


async def test_excerpt_opens_a_forum_post_with_the_attributed_passage(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    suggestions = await mod.autocomplete("discuss start", "excerpt", "boundaries")
    assert 0 < len(suggestions) <= 25
    excerpt_id = suggestions[0]["value"]
    thread = await start(sandbox, excerpt=excerpt_id, channel="discussions")
    first = sandbox.messages_in(thread)[0]
    library = bot_of(sandbox).excerpts
    excerpt = bot_of(sandbox).content.excerpts[excerpt_id]
    text = message_text(first)
    assert excerpt.text.splitlines()[0][:60] in text
    assert library is not None and library.attribution(excerpt) in text
    assert field(first, "Questions to start with")


async def test_prompt_opens_with_the_prompt_text(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    suggestions = await mod.autocomplete("discuss start", "prompt", "trust")
    prompt = bot_of(sandbox).content.prompts[suggestions[0]["value"]]
    thread = await start(sandbox, prompt=prompt.id, slowmode=30)
    assert prompt.text[:80] in message_text(sandbox.messages_in("general")[-1])
    assert thread.rate_limit_per_user == 30


async def test_start_needs_exactly_one_source(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    reply = await mod.slash("discuss start")
    assert "topic, an excerpt or a prompt" in reply.text and reply.ephemeral
    reply = await mod.slash("discuss start", topic="trust", prompt="trust-001")
    assert "just one" in reply.text
    assert sandbox.threads_in("general") == []


# -- closing ----------------------------------------------------------------------------------


async def test_close_by_command_posts_counts_only_then_locks_and_archives(
    sandbox: Sandbox,
) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="boundaries")
    await ask(sandbox.person("alice"), thread, "How do I start saying no?")
    clock_of(sandbox).advance(timedelta(minutes=42))
    reply = await sandbox.person("mod").slash("discuss close", where=thread, note="Thank you all")
    assert "Closed" in reply.text
    summary = sandbox.messages_in(thread)[-1]
    text = message_text(summary)
    assert "Discussion closed" in text and "Thank you all" in text
    assert field(summary, "Open for") == "42 minutes"
    assert field(summary, "Messages").isdigit()
    assert field(summary, "Anonymous questions relayed") == "1 from 1 pseudonym"
    assert not any(name in text for name in ("alice", "Alice", "bob", "mod"))
    assert thread.locked and thread.archived
    again = await sandbox.person("mod").slash("discuss close", where=thread)
    assert "no open discussion" in again.text


async def test_close_by_time_survives_a_restart(sandbox: Sandbox) -> None:
    thread = await start(sandbox, topic="trust", duration=30)
    first = bot_of(sandbox)
    settings, clock, content = first.settings, clock_of(sandbox), first.content
    world = sandbox.world
    await sandbox.stop()

    async with Sandbox(MutualBot(settings, clock=clock, content=content), world=world) as again:
        clock.advance(timedelta(minutes=29))
        await run_timers(again)
        assert not thread.locked
        clock.advance(timedelta(minutes=2))
        await run_timers(again)
        assert thread.locked and thread.archived
        summary = message_text(again.messages_in(thread)[-1])
        assert "reached its planned end" in summary
        again.assert_no_failures()


# -- scheduling -------------------------------------------------------------------------------


async def test_schedule_announces_reminds_opens_and_cancel_withdraws(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    zones = await mod.autocomplete("discuss schedule", "timezone", "berlin", when="x")
    assert {"name": "Europe/Berlin", "value": "Europe/Berlin"} in zones
    clock = clock_of(sandbox)
    reply = await mod.slash(
        "discuss schedule",
        when=local(clock, timedelta(hours=1), "Europe/Berlin"),
        timezone="Europe/Berlin",
        topic="trust",
        remind=15,
    )
    assert "Scheduled" in reply.text and "announced" in reply.text
    announcement = sandbox.messages_in("general")[-1]
    assert "Coming up" in message_text(announcement)
    listing = await sandbox.person("alice").slash("discuss list")
    assert "Scheduled" in listing.text and "trust" in listing.text.lower()

    clock.advance(timedelta(minutes=46))
    await run_timers(sandbox)
    assert "Starting soon" in message_text(sandbox.messages_in("general")[-1])
    assert sandbox.threads_in("general") == []
    clock.advance(timedelta(minutes=14))
    await run_timers(sandbox)
    thread = only_thread(sandbox, "general")
    opening = next(m for m in sandbox.messages_in("general") if m.id == thread.id)
    assert "Questions to start with" in message_text(opening)

    reply = await mod.slash(
        "discuss schedule",
        when=local(clock, timedelta(days=1, hours=6), "UTC"),
        timezone="UTC",
        topic="boundaries",
    )
    choices = await mod.autocomplete("discuss cancel", "discussion", "")
    assert len(choices) == 1
    cancelled = await mod.slash("discuss cancel", discussion=choices[0]["value"])
    assert "Cancelled" in cancelled.text
    withdrawn = sandbox.messages_in("general")[-1]
    assert "Cancelled" in message_text(withdrawn)
    clock.advance(timedelta(days=1, hours=7))
    await run_timers(sandbox)
    assert len(sandbox.threads_in("general")) == 1


async def test_a_discussion_due_while_the_bot_was_down_opens_once_it_is_back(
    sandbox: Sandbox,
) -> None:
    first = bot_of(sandbox)
    clock = clock_of(sandbox)
    await sandbox.person("mod").slash(
        "discuss schedule", when=local(clock, timedelta(hours=1), "UTC"), timezone="UTC",
        topic="trust", remind=0,
    )  # fmt: skip
    settings, content, world = first.settings, first.content, sandbox.world
    await sandbox.stop()
    clock.advance(timedelta(hours=2))

    # No manual tick: the restarted bot runs what fell due as soon as its guild cache is ready.
    async with Sandbox(MutualBot(settings, clock=clock, content=content), world=world) as again:
        await again.wait_for(lambda: len(again.threads_in("general")) == 1, 5, "the opening")
        opening = again.messages_in("general")[-1]
        assert "Questions to start with" in message_text(opening)
        again.assert_no_failures()


async def test_schedule_refuses_a_time_in_the_past(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash(
        "discuss schedule",
        when=local(clock_of(sandbox), timedelta(hours=-3), "UTC"),
        timezone="UTC",
        topic="trust",
    )
    assert "too soon or already past" in reply.text
    assert sandbox.messages_in("general") == []


# -- who may facilitate, and what the bot may do ----------------------------------------------


async def test_a_non_facilitator_is_refused_with_the_needed_role(sandbox: Sandbox) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    facilitator = sandbox.world.role_named(sandbox.guild, "Facilitator")
    await mod.slash("config facilitator-role", role="@Facilitator")
    refused = await alice.slash("discuss start", topic="trust")
    assert "@Facilitator" in refused.text and refused.ephemeral
    assert sandbox.threads_in("general") == []
    sandbox.guild.members[alice.id].roles.append(facilitator.id)
    assert "is open in" in (await alice.slash("discuss start", topic="trust")).text


async def test_missing_thread_permission_is_named_for_the_facilitator(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    await sandbox.standin.deny_bot("reflections", Perm.CREATE_PUBLIC_THREADS)
    reply = await mod.slash("discuss start", topic="trust", channel="reflections")
    assert "**Create Public Threads**" in reply.text and reply.ephemeral
    assert sandbox.messages_in("reflections") == [] and sandbox.threads_in("reflections") == []
    await sandbox.standin.deny_bot("discussions", Perm.MANAGE_THREADS)
    reply = await mod.slash("discuss start", topic="trust", channel="discussions")
    assert "**Manage Threads**" in reply.text
    assert sandbox.threads_in("discussions") == []


# -- timed closes on a server that changed ----------------------------------------------------


async def test_a_timer_close_without_manage_threads_is_told_in_the_log_channel(
    sandbox: Sandbox,
) -> None:
    await sandbox.person("mod").slash("config log-channel", channel="mod-log")
    thread = await start(sandbox, topic="trust", duration=20)
    await sandbox.standin.deny_bot("general", Perm.MANAGE_THREADS)
    clock_of(sandbox).advance(timedelta(minutes=21))
    await run_timers(sandbox)
    notice = message_text(sandbox.messages_in("mod-log")[-1])
    assert "reached its end" in notice and "**Manage Threads**" in notice
    assert not thread.locked and sandbox.messages_in(thread) == []


async def test_a_deleted_thread_closes_quietly_at_its_time(sandbox: Sandbox) -> None:
    thread = await start(sandbox, topic="trust", duration=20)
    await sandbox.standin.delete_channel(thread)
    clock_of(sandbox).advance(timedelta(minutes=21))
    await run_timers(sandbox)
    listing = await sandbox.person("mod").slash("discuss list")
    assert "Open now\nNone." in listing.text
