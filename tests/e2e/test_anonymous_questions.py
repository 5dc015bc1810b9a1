"""/ask end to end: anonymous questions relayed, reviewed, blocked, limited, and kept private."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from standin.harness import Sandbox
from standin.people import message_text
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import bot_of, clock_of


def relay_requests(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [
        request.body
        for request in sandbox.standin.requests
        if request.method == "POST"
        and request.route == "/channels/{}/messages"
        and isinstance(request.body, dict)
        and "asks:" in str(request.body.get("content"))
    ]


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
    assert "1 question waiting" in queue.text
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
