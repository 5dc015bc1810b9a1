"""Every multi-step side effect killed at each step, then restarted: finished or undone, once.

Relays (direct and approved), a discussion's opening (message, then thread) and its close
(summary, then lock), and a daily prompt with its thread and pin.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from standin.harness import Sandbox
from standin.people import message_text
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import after_downtime, bot_of, clock_of, run_timers
from tests.faults.kill import Kill, route

MESSAGES = "/channels/{}/messages"


def rows(sandbox: Sandbox, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(bot_of(sandbox).settings.database_path) as conn:
        return list(conn.execute(sql))


def relays(sandbox: Sandbox, thread: Any) -> list[Any]:
    return [m for m in sandbox.messages_in(thread) if "asks:" in m.content]


@pytest.mark.parametrize("after", [True, False], ids=["after-post", "before-post"])
async def test_a_direct_relay_killed_is_finished_once_and_can_be_removed(
    sandbox: Sandbox, after: bool
) -> None:
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")
    alice = sandbox.person("alice")
    kill = Kill(sandbox, route("POST", MESSAGES, thread.id), after=after)
    await ask(alice, thread, "Is it normal to feel this?")
    async with await kill.restart() as again:
        await after_downtime(again)
        [relayed] = relays(again, thread)
        assert relayed.content.endswith("Is it normal to feel this?")
        assert rows(again, "SELECT status, message_id, text FROM discussion_questions") == [
            ("relayed", relayed.id, None)
        ]
        assert rows(again, "SELECT COUNT(*) FROM anonymous_question_times") == [(1,)]
        [(question_id,)] = rows(again, "SELECT id FROM discussion_questions")
        removed = await again.person("mod").slash("discuss remove", question=question_id)
        assert "can no longer ask" in removed.text
        assert relays(again, thread) == []
        refused = await again.person("alice").slash("ask", where=thread)
        assert refused.modal is None
        again.assert_no_failures()


async def test_an_approved_relay_killed_after_posting_is_recorded_and_its_card_settled(
    sandbox: Sandbox,
) -> None:
    mod, alice = sandbox.person("mod"), sandbox.person("alice")
    await mod.slash("config log-channel", channel="mod-log")
    thread = await start(sandbox, topic="trust")
    await ask(alice, thread, "May I ask this?")
    card = sandbox.messages_in("mod-log")[-1]
    kill = Kill(sandbox, route("POST", MESSAGES, thread.id), after=True)
    await mod.click(card, "Approve")
    async with await kill.restart() as again:
        await after_downtime(again)
        [relayed] = relays(again, thread)
        assert rows(again, "SELECT status, message_id FROM discussion_questions") == [
            ("relayed", relayed.id)
        ]
        assert "relayed" in message_text(again.messages_in("mod-log")[-1])
        again.assert_no_failures()


async def test_an_opening_killed_before_its_thread_is_undone_and_reported(
    sandbox: Sandbox,
) -> None:
    mod = sandbox.person("mod")
    await mod.slash("config log-channel", channel="mod-log")
    general = sandbox.channel("general")
    before = len(sandbox.messages_in(general))
    kill = Kill(sandbox, route("POST", MESSAGES + "/{}/threads"), after=False)
    await mod.slash("discuss start", topic="trust")
    assert len(sandbox.messages_in(general)) == before + 1  # the opening message is up
    async with await kill.restart() as again:
        await after_downtime(again)
        assert len(again.messages_in(general)) == before  # taken down again
        assert rows(again, "SELECT COUNT(*) FROM discussions") == [(0,)]
        assert "was interrupted" in message_text(again.messages_in("mod-log")[-1])
        reopened = await again.person("mod").slash("discuss start", topic="trust")
        assert "is open in" in reopened.text
        again.assert_no_failures()


async def test_an_opening_killed_after_its_thread_is_recorded_and_closes_on_time(
    sandbox: Sandbox,
) -> None:
    kill = Kill(sandbox, route("POST", MESSAGES + "/{}/threads"), after=True)
    await sandbox.person("mod").slash("discuss start", topic="trust", duration=30)
    [thread] = sandbox.threads_in("general")
    async with await kill.restart() as again:
        await after_downtime(again)
        assert rows(again, "SELECT state, thread_id FROM discussions") == [("open", thread.id)]
        clock_of(again).advance(timedelta(minutes=31))
        await run_timers(again)
        assert rows(again, "SELECT state, close_pending FROM discussions") == [("closed", 0)]
        assert thread.locked and len(again.threads_in("general")) == 1
        again.assert_no_failures()


@pytest.mark.parametrize("after", [True, False], ids=["after-summary", "before-summary"])
async def test_a_close_killed_is_finished_with_one_summary_and_a_lock(
    sandbox: Sandbox, after: bool
) -> None:
    thread = await start(sandbox, topic="trust")
    step = route("POST", MESSAGES, thread.id) if not after else route("PATCH", "/channels/{}")
    kill = Kill(sandbox, step, after=False)
    await sandbox.person("mod").slash("discuss close", where=thread)
    async with await kill.restart() as again:
        await after_downtime(again)
        summaries = [m for m in again.messages_in(thread) if "Discussion closed" in message_text(m)]
        assert len(summaries) == 1
        assert thread.locked and thread.archived
        assert rows(again, "SELECT state, close_pending FROM discussions") == [("closed", 0)]
        again.assert_no_failures()


@pytest.mark.parametrize(
    ("method", "template", "after"),
    [
        ("POST", MESSAGES, True),
        ("POST", MESSAGES + "/{}/threads", False),
        ("POST", MESSAGES + "/{}/threads", True),
        ("PUT", "/channels/{}/messages/pins/{}", False),
        ("PUT", "/channels/{}/messages/pins/{}", True),
    ],
    ids=["after-post", "before-thread", "after-thread", "before-pin", "after-pin"],
)
async def test_a_daily_prompt_killed_at_each_step_ends_posted_once_with_thread_and_pin(
    sandbox: Sandbox, method: str, template: str, after: bool
) -> None:
    reply = await sandbox.person("mod").slash(
        "prompts setup", channel="reflections", time="13:00", timezone="UTC", pin=True
    )
    assert "Daily prompts are set" in reply.text
    kill = Kill(sandbox, route(method, template), after=after)
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)
    async with await kill.restart() as again:
        await after_downtime(again)
        [post] = [m for m in again.messages_in("reflections") if m.embeds]
        assert [t.id for t in again.threads_in("reflections")] == [post.id]
        assert post.pinned
        assert rows(again, "SELECT status, message_id FROM prompt_posts") == [("sent", post.id)]
        again.assert_no_failures()
