"""Reporting a relayed anonymous question: the reporter stays anonymous, and moderators see the
pseudonym and the question (in the log channel, or in /discuss queue without one)."""

from __future__ import annotations

import copy
import sqlite3

from standin.harness import Sandbox
from standin.people import message_text
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import bot_of


async def test_a_report_reaches_the_log_channel_once_without_naming_the_reporter(
    sandbox: Sandbox,
) -> None:
    mod, alice, bob = (sandbox.person(n) for n in ("mod", "alice", "bob"))
    await mod.slash("config log-channel", channel="mod-log")
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    asked = await ask(alice, thread, "Something unkind about someone")
    pseudonym = asked.text.split("**")[1]
    relayed = sandbox.messages_in(thread)[-1]
    before = len(sandbox.messages_in("mod-log"))

    thanks = await bob.click(relayed, "Report")
    assert thanks.messages[-1].ephemeral and "moderators" in thanks.text
    assert "No one, moderators included" in thanks.text
    posted = sandbox.messages_in("mod-log")[before:]
    assert len(posted) == 1
    shown = message_text(posted[0])
    assert pseudonym in shown and "Something unkind about someone" in shown
    assert "1 member has reported it" in shown
    assert "bob" not in shown.lower() and str(bob.id) not in shown

    # The same member reporting again counts once and posts nothing more.
    await bob.click(relayed, "Report")
    assert len(sandbox.messages_in("mod-log")) == before + 1
    await mod.click(relayed, "Report")
    assert "2 members have reported it" in message_text(sandbox.messages_in("mod-log")[-1])

    database = sqlite3.connect(bot_of(sandbox).settings.database_path)
    try:
        rows = database.execute("SELECT * FROM question_reports").fetchall()
    finally:
        database.close()
    assert len(rows) == 2
    assert not any(str(p.id) in str(v) for p in (bob, alice, mod) for row in rows for v in row)

    shown_to_bob = await bob.slash("mydata show")
    assert "report you made" in shown_to_bob.text


async def test_without_a_log_channel_reports_wait_in_the_queue(sandbox: Sandbox) -> None:
    mod, alice, bob = (sandbox.person(n) for n in ("mod", "alice", "bob"))
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    asked = await ask(alice, thread, "A question someone finds hurtful")
    pseudonym = asked.text.split("**")[1]
    await bob.click(sandbox.messages_in(thread)[-1], "Report")
    queue = await mod.slash("discuss queue")
    assert pseudonym in queue.text and "reported by 1 member" in queue.text
    assert "bob" not in queue.text.lower()


async def test_a_crafted_report_id_gets_a_kind_answer(sandbox: Sandbox) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    await ask(sandbox.person("alice"), thread, "fine question")
    crafted = copy.deepcopy(sandbox.messages_in(thread)[-1])
    crafted.components[0]["components"][0]["custom_id"] = "mutual:report:999999"
    reply = await sandbox.person("bob").click(crafted, "mutual:report:999999")
    assert reply.ephemeral and "couldn't find that question" in reply.text
    sandbox.assert_no_failures()
