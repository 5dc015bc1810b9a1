"""The bot in a process of its own, so a benchmark can tell the bot's cost from the stand-in's.

In one process the bot, the Discord stand-in and the simulated members share one event loop and
one CPU clock: every figure mixes what the bot does with what the stand-in does to parse, check,
store and answer it. Here the parent keeps the stand-in and the members (a `ProcessSandbox`), and
a child process runs the bot, logged in over the same HTTP and websocket as always. The child
reports its own CPU time on request, so interactions per bot CPU second measure the bot alone.

    async with ProcessSandbox("bench._common:ping_factory", folder, world, spec) as sandbox:
        before = await sandbox.bot_cpu()
        ...
        used = await sandbox.bot_cpu() - before

The child is `python -m bench._process <factory> <url> <token> <folder> <clock file>`. The
factory ("module:function") gets the folder and a clock and returns a `commands.Bot`. The clock
is shared through a small memory-mapped file: `SharedClock.advance` in the parent moves the
child's `now()` before the next interaction is sent, as `FakeClock.advance` does in one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import mmap
import struct
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.clock import Clock, FakeClock
from bot.config import PROJECT_ROOT
from standin.harness import BotCrashed, Sandbox
from standin.state import World

Factory = Callable[[Path, Clock], commands.Bot]
_STAMP = struct.Struct("<d")
READY = "ready"


class SharedClock:
    """A FakeClock whose time lives in a file both processes map: the parent writes, the child
    reads on every `now()`. Timezone-aware UTC, like `bot.clock.FakeClock`."""

    def __init__(self, path: Path, start: datetime | None = None) -> None:
        if start is not None:
            path.write_bytes(_STAMP.pack(start.timestamp()))
        self.path = path
        with path.open("r+b") as handle:
            self._map = mmap.mmap(handle.fileno(), _STAMP.size)

    def now(self) -> datetime:
        return datetime.fromtimestamp(_STAMP.unpack_from(self._map)[0], UTC)

    def advance(self, delta: timedelta) -> datetime:
        moment = self.now() + delta
        _STAMP.pack_into(self._map, 0, moment.timestamp())
        return moment

    def close(self) -> None:
        self._map.close()


def _no_bot() -> commands.Bot:
    raise RuntimeError("a ProcessSandbox runs its bot in a child process")


class ProcessSandbox(Sandbox):
    """The stand-in and the members here, the bot in a child process; otherwise a `Sandbox`."""

    def __init__(
        self,
        factory: str,
        folder: Path,
        world: World,
        spec: Path | None,
        *,
        clock: SharedClock | None = None,
    ) -> None:
        super().__init__(_no_bot, world=world, settle_quiet=0.0, spec_path=spec)
        self.factory = factory
        self.folder = folder
        self.clock_path = clock.path if clock is not None else None
        self._process: asyncio.subprocess.Process | None = None

    async def _start(self) -> Sandbox:
        await self.standin.start()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench._process",
            self.factory,
            self.standin.url,
            self.standin.token,
            str(self.folder),
            str(self.clock_path or "-"),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=PROJECT_ROOT,
        )
        self._task = asyncio.create_task(self._watch(self._process), name="bot-process")
        self._task.add_done_callback(self._on_bot_exit)
        line = await self.until(self._line(), self.ready_timeout, "the bot process to be ready")
        if not line:  # its output closed: it is exiting
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), 5)
            raise BotCrashed(f"the bot process exited with {self._process.returncode}")
        if line != READY:
            raise BotCrashed(f"the bot process said {line!r} instead of {READY!r}")
        await self.settle()
        return self

    @staticmethod
    async def _watch(process: asyncio.subprocess.Process) -> None:
        code = await process.wait()
        raise BotCrashed(f"the bot process exited with {code}")

    async def _line(self) -> str:
        assert self._process is not None and self._process.stdout is not None
        return (await self._process.stdout.readline()).decode().strip()

    async def _ask(self, command: str) -> str:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(f"{command}\n".encode())
        await self._process.stdin.drain()
        return await self.until(self._line(), 10, f"the bot process to answer {command!r}")

    async def bot_cpu(self, *, settle_memory: bool = False) -> float:
        """CPU seconds the bot process has used, all its threads. With `settle_memory`, it first
        collects and freezes its garbage, as `drive` does in this process before measuring."""
        return float(await self._ask("freeze" if settle_memory else "cpu"))

    async def stop(self) -> None:
        self._stopping = True
        process = self._process
        try:
            if process is not None and process.returncode is None:
                assert process.stdin is not None
                process.stdin.close()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()
            if self._task is not None:
                with contextlib.suppress(BaseException):
                    await self._task
        finally:
            await self.standin.stop()


# -- the child ---------------------------------------------------------------------------------


async def _identify_at_once(shard_id: int | None, *, initial: bool = False) -> None:
    """No 5 second wait before identifying: the stand-in has no identify quota."""


async def _serve(factory: Factory, url: str, token: str, folder: Path, clock: Clock) -> None:
    from bot.api_base import point_discord_at

    point_discord_at(url)
    bot = factory(folder, clock)
    bot._connection.guild_ready_timeout = 0.05
    bot.before_identify_hook = _identify_at_once  # type: ignore[method-assign]
    running = asyncio.create_task(bot.start(token))
    ready = asyncio.create_task(bot.wait_until_ready())
    await asyncio.wait({running, ready}, return_when=asyncio.FIRST_COMPLETED)
    if running.done():
        running.result()
    await bot.tree.sync()
    for guild in bot.guilds:
        if bot.tree.get_commands(guild=discord.Object(guild.id)):
            await bot.tree.sync(guild=discord.Object(guild.id))
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    _say(READY)
    try:
        while line := (await reader.readline()).decode().strip():
            if line == "freeze":
                gc.collect()
                gc.freeze()
            _say(repr(time.process_time()))
            if running.done():
                running.result()
    finally:
        await bot.close()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(running, 5)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _load(name: str) -> Factory:
    module, _, attribute = name.partition(":")
    found: Any = getattr(importlib.import_module(module), attribute)
    return found  # type: ignore[no-any-return]


def main(argv: list[str]) -> None:
    from bench._common import quiet_logging

    factory, url, token, folder, clock_file = argv
    quiet_logging()
    clock: Clock = (
        SharedClock(Path(clock_file))
        if clock_file != "-"
        else FakeClock(datetime(2025, 3, 3, 12, tzinfo=UTC))
    )
    asyncio.run(_serve(_load(factory), url, token, Path(folder), clock))


if __name__ == "__main__":
    main(sys.argv[1:])
