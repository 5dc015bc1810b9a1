"""`Sandbox`: a real discord.py bot, logged in to the stand-in, driven by people.

    async with Sandbox(make_bot) as sandbox:
        alice = sandbox.person("alice")
        reply = await alice.slash("ping")
        assert reply.content == "pong"

It starts the stand-in with the demo guild, points discord.py at it, runs `bot.start(token)` as a
task, waits for on_ready and syncs the bot's command tree (the real bot never syncs on boot). The
bot task is watched: if it dies, every later call raises `BotCrashed` with its exception, so a
payload that kills the client cannot pass silently. `failures` gathers what real Discord would
have refused; `assert_no_failures` is the teardown check.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot.api_base import point_discord_at, restore_discord
from standin.bot_work import BotWork
from standin.demo import build_demo
from standin.failures import Failure, report
from standin.interactions import InteractionRecord
from standin.people import Person, Reply
from standin.server import StandIn
from standin.state import Channel, Guild, Json, Message, User, World

log = logging.getLogger(__name__)

AnyBot = commands.Bot | commands.AutoShardedBot
BotFactory = Callable[[], "AnyBot | Awaitable[AnyBot]"]
# How long a deferred answer may take to be filled in before a test looks at it anyway.
DEFERRED_WAIT = 5.0
T = TypeVar("T")


class BotCrashed(RuntimeError):
    """The bot's `start()` task ended; the sandbox cannot go on."""


class Sandbox:
    """The stand-in plus a running bot, with helpers that read like people using Discord."""

    def __init__(
        self,
        bot: AnyBot | BotFactory,
        *,
        world: World | None = None,
        sync: bool = True,
        ack_deadline: float = 3.0,
        settle_quiet: float = 0.03,
        ready_timeout: float = 15.0,
        spec_path: str | Path | None = None,
        default_channel: str = "general",
        background_tasks: tuple[str, ...] = (),
        **standin_options: Any,
    ) -> None:
        self._bot_source = bot
        self.world = world or build_demo()
        self.standin = StandIn(
            self.world, ack_deadline=ack_deadline, spec_path=spec_path, **standin_options
        )
        self.sync = sync
        self.settle_quiet = settle_quiet
        self.ready_timeout = ready_timeout
        self.default_channel = default_channel
        self._bot: AnyBot | None = None
        self._task: asyncio.Task[None] | None = None
        self._crash: BaseException | None = None
        self._stopping = False
        # Name prefixes of tasks the bot starts that are not waited for (see `BotWork`).
        self.background_tasks = background_tasks
        self._work: BotWork | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> Sandbox:
        """Start the stand-in and the bot; on any failure both are stopped again."""
        try:
            return await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> Sandbox:
        await self.standin.start()
        point_discord_at(self.standin.url)
        source = self._bot_source
        bot = source if isinstance(source, discord.Client) else source()
        if inspect.isawaitable(bot):
            bot = await bot
        assert isinstance(bot, commands.Bot | commands.AutoShardedBot), (
            "the sandbox drives a commands.Bot"
        )
        self._bot = bot
        bot._connection.guild_ready_timeout = 0.05
        bot.before_identify_hook = _identify_at_once  # type: ignore[method-assign]
        self._work = BotWork(asyncio.get_running_loop(), self.background_tasks)
        self._task = asyncio.create_task(bot.start(self.standin.token), name="sandbox-bot")
        self._work.adopt(self._task)
        self._task.add_done_callback(self._on_bot_exit)
        await self.until(bot.wait_until_ready(), self.ready_timeout, "the bot to become ready")
        self._work.ready()
        if self.sync:
            await self.sync_commands()
        await self.settle()
        return self

    async def sync_commands(self) -> None:
        """Sync the bot's global commands and those it registered for the demo guild."""
        tree = self.bot.tree
        await self.until(tree.sync(), 10, "global command sync")
        for guild in self.world.guilds.values():
            target = discord.Object(guild.id)
            if tree.get_commands(guild=target):
                await self.until(tree.sync(guild=target), 10, "guild command sync")

    async def stop(self) -> None:
        self._stopping = True
        try:
            if self._bot is not None and not self._bot.is_closed():
                await self._bot.close()
            if self._task is not None:
                with contextlib.suppress(BaseException):
                    await asyncio.wait_for(self._task, 5)
        finally:
            if self._work is not None:
                self._work.close()
                self._work = None
            await self.standin.stop()
            restore_discord()

    def abandon_work(self) -> None:
        """The bot's process counts as killed: `settle` no longer waits for the work it had
        started, which can never finish."""
        if self._work is not None:
            self._work.abandon()

    def _on_bot_exit(self, task: asyncio.Task[None]) -> None:
        if self._stopping:
            return
        error = task.exception() if not task.cancelled() else asyncio.CancelledError()
        self._crash = error or BotCrashed("bot.start() returned: the bot stopped")
        self.standin.fail("bot-crash", "-", "-", f"the bot task ended: {self._crash!r}")

    def check(self) -> None:
        """Raise `BotCrashed` if the bot's task has ended."""
        if self._crash is not None:
            raise BotCrashed(f"the bot died: {self._crash!r}") from self._crash

    async def until(self, awaitable: Awaitable[T], within: float, what: str = "it") -> T:
        """Await something the bot should cause, failing fast if the bot dies meanwhile."""
        if self._crash is not None and inspect.iscoroutine(awaitable):
            awaitable.close()
        self.check()
        future = asyncio.ensure_future(awaitable)
        watch = {future} if self._task is None else {future, self._task}
        done, _ = await asyncio.wait(watch, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        if future in done:
            return future.result()
        future.cancel()
        self.check()
        raise TimeoutError(f"timed out after {within:g} s waiting for {what}")

    async def settle(self, quiet: float | None = None, within: float = 5.0) -> None:
        """Wait until the work the bot started for the events it was sent is done (its handlers
        and the tasks they started, see `BotWork`), then until it has made no request for
        `quiet` seconds (a request already on its way lands)."""
        quiet = self.settle_quiet if quiet is None else quiet
        loop = asyncio.get_running_loop()
        end = loop.time() + within
        if self._work is not None and not await self._work.finished(within):
            log.warning(
                "The bot's work for the last events was still running after %g s: %s",
                within, ", ".join(sorted({t.get_name() for t in self._work.running()})),
            )  # fmt: skip
        while self.standin.quiet_for() < quiet and loop.time() < end:
            self.check()
            await asyncio.sleep(min(quiet, 0.01))
        self.check()

    async def wait_for(
        self, condition: Callable[[], object], within: float = 5.0, what: str = "the condition"
    ) -> None:
        """Wait until `condition()` is true (something the bot does in its own time)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + within
        while not condition():
            self.check()
            if loop.time() > end:
                raise TimeoutError(f"timed out after {within:g} s waiting for {what}")
            await asyncio.sleep(0.01)

    # -- people and interactions ----------------------------------------------------------------

    @property
    def bot(self) -> AnyBot:
        assert self._bot is not None, "the sandbox has not started"
        return self._bot

    @property
    def guild(self) -> Guild:
        return next(iter(self.world.guilds.values()))

    def person(self, name: str, *, locale: str | None = None) -> Person:
        """A person of the demo server; `locale` sets their Discord client's language."""
        user = self.world.user_named(name)
        if locale is not None:
            user.locale = locale
        return Person(self, user)

    async def deliver(
        self, payload: Json, user: User, channel: Channel, *, source: Message | None = None
    ) -> Reply:
        """Send an INTERACTION_CREATE and wait for the bot to acknowledge it, then settle."""
        self.check()
        await self.until(self.standin.gateway.ready.wait(), 10, "the gateway session")
        record = InteractionRecord(
            id=int(payload["id"]),
            token=payload["token"],
            type=payload["type"],
            payload=payload,
            user=user,
            channel=channel,
            created_at=self.world.clock.now(),
            source=source,
        )
        await self.standin.interact(record)
        with contextlib.suppress(TimeoutError):
            wait = self.standin.ack_deadline + 0.25
            await self.until(record.settled.wait(), wait, "the acknowledgement")
        if record.callback_type in (5, 6):  # deferred: the answer comes when the work is done
            with contextlib.suppress(TimeoutError):
                await self.until(record.answered.wait(), DEFERRED_WAIT, "the deferred answer")
        await self.settle()
        return Reply(self, record)

    # -- what is on the server ------------------------------------------------------------------

    def channel(self, name: str) -> Channel:
        return self.world.channel_named(name)

    def messages_in(self, channel: str | Channel) -> list[Message]:
        """Messages in a channel or thread, oldest first (ephemeral answers excluded)."""
        target = self.channel(channel) if isinstance(channel, str) else channel
        return [m for m in self.world.messages_in(target) if not m.ephemeral]

    def threads_in(self, channel: str | Channel) -> list[Channel]:
        """Threads (and forum posts) under a channel, oldest first."""
        target = self.channel(channel) if isinstance(channel, str) else channel
        return [t for t in self.world.threads_of(target) if not t.deleted]

    def dms_with(self, name: str) -> list[Message]:
        """What the bot wrote to a member in DMs."""
        return self.world.messages_in(self.world.dm_channel(self.world.user_named(name)))

    # -- failures -------------------------------------------------------------------------------

    @property
    def failures(self) -> list[Failure]:
        return self.standin.failures

    def take_failures(self, kind: str | None = None) -> list[Failure]:
        """Remove and return failures (of one kind), for tests that provoke them on purpose."""
        taken = [f for f in self.standin.failures if kind is None or f.kind == kind]
        self.standin.failures[:] = [f for f in self.standin.failures if f not in taken]
        return taken

    def assert_no_failures(self) -> None:
        assert not self.failures, report(self.failures)


async def _identify_at_once(shard_id: int | None, *, initial: bool = False) -> None:
    """Replaces discord.py's 5 second wait before re-identifying; the stand-in has no quota."""
