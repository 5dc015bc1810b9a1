"""/discuss and /ask end to end: the real MutualBot through the Discord stand-in."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import MutualBot
from bot.clock import FakeClock
from bot.sandbox.harness import Sandbox
from bot.sandbox.people import Person, Reply, message_text
from bot.sandbox.permissions import Perm
from bot.sandbox.state import Channel, Message
from bot.services.excerpts import ExcerptLibrary
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


def relay_requests(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [
        request.body
        for request in sandbox.standin.requests
        if request.method == "POST"
        and request.route == "/channels/{}/messages"
        and isinstance(request.body, dict)
        and "asks:" in str(request.body.get("content"))
    ]


async def start(sandbox: Sandbox, **options: Any) -> Channel:
    reply = await sandbox.person("mod").slash("discuss start", **options)
    assert "is open in" in reply.text, reply.text
    where = options.get("channel", "general")
    return sandbox.threads_in(where)[-1]


async def ask(person: Person, thread: Channel, text: str) -> Reply:
    modal = await person.slash("ask", where=thread)
    assert modal.modal is not None, modal.text
    return await person.submit_modal(modal, {"question": text})


async def set_mode(sandbox: Sandbox, mode: str) -> None:
    reply = await sandbox.person("mod").slash("config anonymous-questions", mode=mode)
    assert "Anonymous questions" in reply.text


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
    library = bot_of(sandbox).service(ExcerptLibrary)
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
    assert field(summary, "Anonymous questions relayed") == "1 from 1 pseudonym(s)"
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


async def test_schedule_refuses_a_time_in_the_past(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash(
        "discuss schedule",
        when=local(clock_of(sandbox), timedelta(hours=-3), "UTC"),
        timezone="UTC",
        topic="trust",
    )
    assert "too soon or already past" in reply.text
    assert sandbox.messages_in("general") == []


# -- anonymous questions ----------------------------------------------------------------------


async def test_direct_question_is_relayed_under_a_pseudonym_and_pings_no_one(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    role = sandbox.world.role_named(sandbox.guild, "Moderator")
    text = f"@everyone and <@&{role.id}> and <@{sandbox.person('bob').id}>: is this normal?"
    alice = sandbox.person("alice")
    reply = await ask(alice, thread, text)
    assert "Anonymous member · " in reply.text and reply.messages[-1].ephemeral
    relayed = sandbox.messages_in(thread)[-1]
    assert relayed.content.endswith(text) and "alice" not in relayed.content.lower()
    bodies = relay_requests(sandbox)
    assert len(bodies) == 1 and bodies[0]["allowed_mentions"] == {"parse": []}
    # Same name for the same member in this discussion; another member gets another one.
    await ask(alice, thread, "A second thought")
    await ask(sandbox.person("bob"), thread, "Mine")
    names = [m.content.split("**")[1] for m in sandbox.messages_in(thread)]
    assert names[0] == names[1] != names[2]
    # Mutual's own logs (discord.py's are capped at INFO outside tests) never hold the text.
    ours = [r for r in caplog.records if r.name.startswith(("bot", "cogs"))]
    assert not any("is this normal" in r.getMessage() for r in ours)


async def test_reviewed_question_waits_for_a_facilitator(sandbox: Sandbox) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    await mod.slash("config log-channel", channel="mod-log")
    thread = await start(sandbox, topic="trust")
    reply = await ask(alice, thread, "Can I ask this @here?")
    assert "reads anonymous questions first" in reply.text
    assert sandbox.messages_in(thread) == []
    card = sandbox.messages_in("mod-log")[-1]
    assert "Can I ask this @here?" in message_text(card)
    refused = await alice.click(card, "Approve")
    assert "Manage Server" in refused.text
    approved = await mod.click(card, "Approve")
    assert "relayed" in approved.text
    assert sandbox.messages_in(thread)[-1].content.endswith("Can I ask this @here?")
    assert relay_requests(sandbox)[-1]["allowed_mentions"] == {"parse": []}
    assert "Can I ask" not in message_text(card)  # the card keeps the outcome, not the text

    await ask(alice, thread, "Something to set aside")
    queue = await mod.slash("discuss queue")
    assert "1 question(s) waiting" in queue.text
    rejected = await mod.click(queue, "Don't relay")
    assert "Not relayed" in rejected.text
    assert len(sandbox.messages_in(thread)) == 1


async def test_blocking_a_pseudonym_removes_it_and_refuses_that_member(
    sandbox: Sandbox,
) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    alice, bob, mod = sandbox.person("alice"), sandbox.person("bob"), sandbox.person("mod")
    reply = await ask(alice, thread, "Something hurtful")
    pseudonym = reply.text.split("**")[1]
    choices = await mod.autocomplete("discuss remove", "question", pseudonym.split("· ")[1])
    assert len(choices) == 1
    removed = await mod.slash("discuss remove", question=choices[0]["value"])
    assert pseudonym in removed.text and "alice" not in removed.text.lower()
    assert sandbox.messages_in(thread) == []  # the relayed message is gone
    refused = await alice.slash("ask", where=thread)
    assert refused.modal is None and "blocked from asking anonymous questions" in refused.text
    assert (await bob.slash("ask", where=thread)).modal is not None


async def test_three_questions_per_ten_minutes(sandbox: Sandbox) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    alice = sandbox.person("alice")
    for n in range(3):
        assert "Sent to" in (await ask(alice, thread, f"question {n}")).text
    refused = await ask(alice, thread, "one more")
    assert "3 anonymous questions in the last 10 minutes" in refused.text
    assert len(relay_requests(sandbox)) == 3
    clock_of(sandbox).advance(timedelta(minutes=10, seconds=1))
    assert "Sent to" in (await ask(alice, thread, "later")).text


async def test_an_overlong_question_is_explained_and_kept_for_editing(sandbox: Sandbox) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    alice = sandbox.person("alice")
    reply = await ask(alice, thread, "word " * 400)
    assert "1,999 characters" in reply.text and "up to 1,800" in reply.text
    assert relay_requests(sandbox) == []
    again = await alice.click(reply, "Edit and send again")
    assert again.modal is not None
    assert again.modal["components"][0]["components"][0]["value"].startswith("word word")


async def test_asking_with_questions_turned_off(sandbox: Sandbox) -> None:
    await set_mode(sandbox, "off")
    thread = await start(sandbox, topic="trust")
    reply = await sandbox.person("alice").slash("ask", where=thread)
    assert reply.modal is None and "turned off" in reply.text


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


# -- privacy ----------------------------------------------------------------------------------


async def test_no_raw_member_id_is_stored_anywhere(sandbox: Sandbox) -> None:
    mod, alice, bob = (sandbox.person(n) for n in ("mod", "alice", "bob"))
    await mod.slash("config log-channel", channel="mod-log")
    thread = await start(sandbox, topic="trust")
    await ask(alice, thread, "waiting for review")
    await mod.click(sandbox.messages_in("mod-log")[-1], "Approve")
    await ask(bob, thread, "also waiting")
    await mod.click(sandbox.messages_in("mod-log")[-1], "Don't relay and block")
    await set_mode(sandbox, "direct")
    await ask(alice, thread, "direct one")
    shown = await alice.slash("mydata show")
    assert "Anonymous questions" in shown.text

    ids = {str(person.id) for person in (mod, alice, bob)}
    database = sqlite3.connect(bot_of(sandbox).settings.database_path)
    try:
        tables = [
            r[0] for r in database.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        assert {"discussion_questions", "anonymous_blocks", "anonymous_question_times"} <= set(
            tables
        )
        for table in tables:
            for row in database.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    assert not any(i in str(value) for i in ids), (table, row)
        assert database.execute("SELECT COUNT(*) FROM anonymous_blocks").fetchone()[0] == 1
    finally:
        database.close()


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


async def test_mydata_delete_removes_a_waiting_question_but_keeps_a_block(
    sandbox: Sandbox,
) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    thread = await start(sandbox, topic="trust")
    await ask(alice, thread, "first, to be blocked")
    queue = await mod.slash("discuss queue")
    await mod.click(queue, "Don't relay and block")
    await set_mode(sandbox, "reviewed")
    await ask(sandbox.person("bob"), thread, "bob waits")
    shown = await sandbox.person("bob").slash("mydata show")
    assert "waiting for a facilitator's review" in shown.text
    confirm = await sandbox.person("bob").slash("mydata delete")
    await sandbox.person("bob").click(confirm, "Delete everything")
    assert "No anonymous questions are waiting" in (await mod.slash("discuss queue")).text
    kept = await alice.slash("mydata show")
    assert "Blocks are a moderation decision" in kept.text
