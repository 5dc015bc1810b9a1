"""What the benchmarks share: figures, the bare /ping ceiling, a Mutual on a throwaway database,
simulated members, and the loop that drives them through the Discord stand-in.

Every benchmark compares Mutual with something measured in the same run on the same machine,
because absolute numbers on a shared 2-core box say little; ratios to a ceiling say more.

    from bench._common import Figures, drive, mutual_bot, ping_bot, timed, world_with
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.app import MutualBot
from bot.clock import Clock, FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.content import Content, load_content
from bot.content.loader import default_seeds_dir
from standin.demo import build_demo, demo_guild
from standin.harness import Sandbox
from standin.people import Person, Reply
from standin.state import World

log = logging.getLogger("bench")

Unit = Callable[[Person, list[float]], Awaitable[int]]
"""One round of a flow for one member: appends each interaction's latency, returns how many."""


@dataclass
class Figures:
    """One measurement: how many interactions in how long, and each one's latency (seconds)."""

    name: str
    interactions: int
    seconds: float
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Interactions per second."""
        return self.interactions / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    def ratio(self, ceiling: Figures) -> float:
        return self.rate / ceiling.rate if ceiling.rate else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<22} {self.interactions:>6} interactions in {self.seconds:5.2f} s  "
            f"{self.rate:8.1f}/s  p50 {self.p50:6.2f} ms  p99 {self.p99:6.2f} ms"
        )


def quiet_logging() -> None:
    """Only errors: a benchmark's output is its table."""
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)
    logging.getLogger("bench").setLevel(logging.INFO)


def world_with(people: int) -> tuple[World, list[str]]:
    """The demo server plus `people` extra members ("member0", ...) to act at once."""
    world = build_demo()
    guild = demo_guild(world)
    names = []
    for number in range(people):
        name = f"member{number}"
        world.add_member(guild, world.add_user(name))
        names.append(name)
    return world, names


def ping_bot(**client: Any) -> commands.Bot:
    """The ceiling: a bot that does nothing but answer /ping with an ephemeral "pong".
    `client` overrides discord.py's client options (intents, allowed_mentions, ...)."""
    options: dict[str, Any] = {
        "command_prefix": commands.when_mentioned,
        "intents": discord.Intents.none(),
        "help_command": None,
    }
    bot = commands.Bot(**(options | client))

    @bot.tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    return bot


def ping_factory(folder: Path, clock: Clock) -> commands.Bot:
    """`ping_bot` as a factory for a bot process (`bench._process`)."""
    return ping_bot()


def bench_settings(folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "token": "bench",
        "database_path": folder / "bench.db",
        "secret": b"bench-secret-bench-secret-bench!",
        "content_dir": DEFAULT_CONTENT_DIR,
        "dev_guild_id": None,
        "log_level": "WARNING",
        "prompt_grace_hours": 6.0,
        "send_rate_per_second": 45.0,
        "send_concurrency": 8,
        "api_base": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


_content: Content | None = None


def shipped_content() -> Content:
    """Loaded once per process, so repeated rounds measure the bot, not the TOML parser."""
    global _content
    if _content is None:
        _content = load_content(
            DEFAULT_CONTENT_DIR, seeds_dir=default_seeds_dir(DEFAULT_CONTENT_DIR)
        )
    return _content


def mutual_bot(
    folder: Path,
    *,
    clock: FakeClock | None = None,
    start_timers: bool = False,
    database_url: str | None = None,
) -> MutualBot:
    """The real MutualBot on a database in `folder` (or the PostgreSQL one at `database_url`),
    timers off unless asked for."""
    clock = clock or FakeClock(datetime(2025, 3, 3, 12, tzinfo=UTC))
    settings = bench_settings(folder, database_url=database_url)
    return MutualBot(settings, clock=clock, content=shipped_content(), start_timers=start_timers)


def mutual_factory(folder: Path, clock: Clock) -> commands.Bot:
    """`mutual_bot` as a factory for a bot process (`bench._process`), on the given clock."""
    return MutualBot(
        bench_settings(folder), clock=clock, content=shipped_content(), start_timers=False
    )


def spec_for(schema: bool, folder: Path) -> Path | None:
    """The stand-in's `spec_path`: None validates against Discord's OpenAPI spec; a missing file
    skips only that pass (the limit checks still run), so the bot's own cost is not hidden
    behind the validator's."""
    return None if schema else folder / "no-spec.json"


def bench_sandbox(
    bot: commands.Bot | Callable[[], commands.Bot], world: World, spec: Path | None
) -> Sandbox:
    """A sandbox that answers as soon as the bot acknowledges (no settling pause)."""
    return Sandbox(bot, world=world, settle_quiet=0.0, spec_path=spec)


async def timed(latencies: list[float], action: Awaitable[Reply]) -> Reply:
    """Await one interaction, record its latency (sent until answered), insist it was answered."""
    started = time.perf_counter()
    reply = await action
    latencies.append(time.perf_counter() - started)
    if not reply.acknowledged:
        raise RuntimeError(f"not answered: {reply!r}")
    return reply


async def drive(
    name: str, sandbox: Sandbox, names: Sequence[str], seconds: float, unit: Unit
) -> Figures:
    """Each named member repeats `unit` until the time is up; all of them at once."""
    for failure in sandbox.take_failures():
        log.warning("before %s: %s", name, failure)
    # The stand-in keeps every request, interaction and message; without this, Python's full
    # collections would scan all of them and stall every member at once, more with each run.
    gc.collect()
    gc.freeze()
    latencies: list[float] = []
    count = 0
    deadline = time.perf_counter() + seconds

    async def member(person: Person) -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            # Not `count += await ...`: that reads `count` before the await and would lose
            # every increment another member made meanwhile.
            done = await unit(person, latencies)
            count += done

    started = time.perf_counter()
    await asyncio.gather(*(member(sandbox.person(n)) for n in names))
    figures = Figures(name, count, time.perf_counter() - started, latencies)
    sandbox.assert_no_failures()
    return figures


async def one_ping(person: Person, latencies: list[float]) -> int:
    reply = await timed(latencies, person.slash("ping"))
    assert reply.content == "pong" and reply.ephemeral, reply
    return 1


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned first column, right-aligned figures."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def verdict(broken: Sequence[str], missed: Sequence[str]) -> int:
    """Print the last line and return the exit status: 1 only when the run itself is broken.

    A broken run (a crash, a lost or doubled post, a stand-in failure) proves nothing about speed
    and must fail CI; a goal not met is a finding, printed but never turned into a failure,
    because timings on a shared machine are noisy and a quick run's sizes are too small to judge.
    """
    if broken:
        print(f"BROKEN: {'; '.join(broken)}")
        return 1
    if missed:
        print(f"verdict: the run is sound; below goal: {'; '.join(missed)}")
    else:
        print("verdict: the run is sound; every goal met")
    return 0
