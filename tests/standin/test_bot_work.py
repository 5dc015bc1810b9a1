"""The sandbox waits for the bot's own work, not for a quiet period."""

from __future__ import annotations

import asyncio

from standin.harness import Sandbox
from tests.standin.testbot import ProbeBot


async def test_work_after_the_answer_is_done_before_the_test_looks(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("tally")
    assert reply.content == "counting"
    bot = sandbox.bot
    assert isinstance(bot, ProbeBot)
    assert bot.tallied == 1


async def test_a_killed_bots_work_is_not_waited_for(sandbox: Sandbox) -> None:
    sandbox.abandon_work()
    loop = asyncio.get_running_loop()
    started = loop.time()
    reply = await sandbox.person("alice").slash("hang")
    assert reply.content == "waiting"
    assert loop.time() - started < 2.5  # settling would otherwise wait its full 5 s
