"""Small helpers the end-to-end tests share: reach the running MutualBot and run its timers."""

from __future__ import annotations

from bot.app import MutualBot
from bot.clock import FakeClock
from standin.harness import Sandbox


def bot_of(sandbox: Sandbox) -> MutualBot:
    bot = sandbox.bot
    assert isinstance(bot, MutualBot)
    return bot


def clock_of(sandbox: Sandbox) -> FakeClock:
    clock = bot_of(sandbox).clock
    assert isinstance(clock, FakeClock)
    return clock


async def run_timers(sandbox: Sandbox) -> None:
    """What the alarm would do at the fake clock's time: run due work and let the posts land."""
    bot = bot_of(sandbox)
    await bot.dispatcher.tick()
    await bot.sender.drain()
    await sandbox.settle()


async def after_downtime(sandbox: Sandbox) -> None:
    """Wait until a restarted bot has run what fell due while it was away (its tick after READY,
    which can come after the harness saw the gateway ready), then let the posts land."""
    bot = bot_of(sandbox)
    await sandbox.until(bot.due_work_ran.wait(), 10, "the first tick after READY")
    await bot.sender.drain()
    await sandbox.settle()
