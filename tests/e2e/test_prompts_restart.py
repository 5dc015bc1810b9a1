"""A restart long after a claim: the nonce no longer dedupes, so the channel is looked at first.

Each test claims the day's post (and maybe posts it), stops the bot as if it died before the
message id was written, and starts it again ten minutes later: past Discord's nonce window (the
stand-in's clock moves too), well inside the grace window.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.db import prompt_posts as repo
from standin.harness import Sandbox
from standin.permissions import Perm
from tests.e2e.conftest import make_mutual
from tests.e2e.helpers import after_downtime, bot_of, clock_of, run_timers
from tests.e2e.test_prompts import setup, source_of

LATER = timedelta(minutes=10)
DAY = "2026-06-01"


async def restart_later(sandbox: Sandbox, clock: FakeClock) -> Sandbox:
    """Stop, let both clocks pass the nonce window, and start a new bot on the same world."""
    bot = bot_of(sandbox)
    settings, world = bot.settings, sandbox.world
    await sandbox.stop()
    clock.advance(LATER)
    world.clock.advance(LATER)
    return Sandbox(make_mutual(settings, clock), world=world)


def requests_to(again: Sandbox, method: str) -> list[str]:
    path = f"/channels/{again.channel('reflections').id}/messages"
    return [r.path for r in again.standin.requests if r.method == method and r.path == path]


async def claim(sandbox: Sandbox, *, send: bool) -> None:
    """Make today's post due and claimed; with `send`, it also reaches the channel."""
    await setup(sandbox)
    if not send:
        source_of(sandbox).submit = lambda name, job: None  # claimed, then the bot "dies"
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1))
    await run_timers(sandbox)


async def test_a_post_already_in_the_channel_is_recorded_not_sent_again(
    sandbox: Sandbox,
) -> None:
    alice = sandbox.world.user_named("alice")
    reflections = sandbox.channel("reflections")
    sandbox.world.add_message(reflections, alice, content="before the prompt")
    await claim(sandbox, send=True)
    [post] = [m for m in sandbox.messages_in("reflections") if m.embeds]
    assert post.embeds[0]["footer"]["text"].endswith(f"\nDaily reflection · {DAY}")
    sandbox.world.add_message(reflections, alice, content="after the prompt")
    db = bot_of(sandbox).db
    # The crash came after Discord accepted the post and before its id was written.
    await db.execute(
        "UPDATE prompt_posts SET message_id = NULL, status = 'claimed' WHERE local_date = ?",
        (DAY,),
    )
    async with await restart_later(sandbox, clock_of(sandbox)) as again:
        await after_downtime(again)
        assert requests_to(again, "POST") == []
        assert len(requests_to(again, "GET")) == 1
        assert [m.id for m in again.messages_in("reflections") if m.embeds] == [post.id]
        row = await repo.get_post(bot_of(again).db, again.guild.id, DAY)
        assert row is not None and (row.status, row.message_id) == ("sent", post.id)
        assert len(again.threads_in("reflections")) == 1
        again.assert_no_failures()


async def test_a_claim_that_never_went_out_is_sent_once(sandbox: Sandbox) -> None:
    await claim(sandbox, send=False)
    assert sandbox.messages_in("reflections") == []
    async with await restart_later(sandbox, clock_of(sandbox)) as again:
        await after_downtime(again)
        assert len(requests_to(again, "GET")) == 1 and len(requests_to(again, "POST")) == 1
        [post] = again.messages_in("reflections")
        row = await repo.get_post(bot_of(again).db, again.guild.id, DAY)
        assert row is not None and (row.status, row.message_id) == ("sent", post.id)
        assert [t.id for t in again.threads_in("reflections")] == [post.id]
        again.assert_no_failures()


async def test_unreadable_history_sends_and_says_it_could_not_check(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    await claim(sandbox, send=False)
    await sandbox.standin.deny_bot("reflections", Perm.READ_MESSAGE_HISTORY)
    async with await restart_later(sandbox, clock_of(sandbox)) as again:
        await after_downtime(again)
        assert len(again.messages_in("reflections")) == 1
        notes = [r for r in caplog.records if "without that check" in r.getMessage()]
        assert [r.levelno for r in notes] == [logging.INFO]
        row = await repo.get_post(bot_of(again).db, again.guild.id, DAY)
        assert row is not None and row.status == "sent"
        again.assert_no_failures()
