"""A full self-check through the Discord stand-in, against a bare /ping bot in the same run.

    .venv/bin/python -m bench.selfcheck [--people 8] [--rounds 6] [--seconds 4]

The ceiling is a bot that only answers /ping (ephemeral "pong"), driven by the same number of
simulated members through the same stand-in. The self-check run has each member take full
checks, one after another: /selfcheck start, Begin, every answer, then Save, each step a real
interaction (slash command or button click) answered by the real MutualBot on a temporary
database. Reported: interactions per second, p50/p99 latency per interaction (sent until the bot
has answered), and the ratio self-check / ping (goal: >= 0.7).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.app import MutualBot
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.content import load_content
from bot.content.model import ANSWER_LABELS
from bot.sandbox.demo import build_demo, demo_guild
from bot.sandbox.harness import Sandbox
from bot.sandbox.people import Person, Reply
from bot.sandbox.state import World

GOAL = 0.7


@dataclass
class Figures:
    name: str
    interactions: int
    seconds: float
    latencies: list[float]
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.interactions / self.seconds if self.seconds else 0.0

    @property
    def cpu_rate(self) -> float:
        """Interactions per CPU second of this process (bot, stand-in and people together):
        steadier than wall time when other work shares the machine."""
        return self.interactions / self.cpu_seconds if self.cpu_seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        return (
            f"{self.name:<22} {self.interactions:>6} interactions in {self.seconds:5.2f} s  "
            f"{self.rate:8.1f}/s  p50 {self.percentile(0.50):6.2f} ms  "
            f"p99 {self.percentile(0.99):6.2f} ms  ({self.cpu_rate:7.1f} per CPU s)"
        )


def world_with(people: int) -> tuple[World, list[str]]:
    world = build_demo()
    guild = demo_guild(world)
    names = []
    for n in range(people):
        name = f"member{n}"
        world.add_member(guild, world.add_user(name))
        names.append(name)
    return world, names


class Echo(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"echo:(?P<n>\d+):(?P<a>\d)"):
    """Reference: a DynamicItem that only re-renders a question-shaped message, no logic."""

    def __init__(self, n: int, action: int) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=f"Answer {action}", custom_id=f"echo:{n}:{action}", row=action // 5
        )
        super().__init__(button)
        self.n = n

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> Echo:
        return cls(int(match["n"]), int(match["a"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        embed, view = question_shaped(self.n + 1)
        await interaction.response.edit_message(embed=embed, view=view)


def question_shaped(n: int) -> tuple[discord.Embed, discord.ui.View]:
    view = discord.ui.View(timeout=None)
    for action in range(8):
        view.add_item(Echo(n, action))
    embed = discord.Embed(title=f"Question {n}", description="A statement of about this length.")
    embed.set_footer(text="Back, Skip or Stop at any time. Nothing is stored while you answer.")
    return embed, view


def ping_bot() -> commands.Bot:
    """The ceiling (/ping) plus the same-shape reference (/echo and its buttons)."""
    bot = commands.Bot(
        command_prefix=commands.when_mentioned, intents=discord.Intents.none(), help_command=None
    )

    @bot.tree.command(name="ping", description="Answers pong")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @bot.tree.command(name="echo", description="A question-shaped message")
    async def echo(interaction: discord.Interaction) -> None:
        embed, view = question_shaped(0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    async def register() -> None:
        bot.add_dynamic_items(Echo)

    bot.setup_hook = register  # type: ignore[method-assign]
    return bot


def mutual_bot(folder: Path) -> MutualBot:
    settings = Settings(
        token="bench",
        database_path=folder / "bench.db",
        secret=b"bench-secret-bench-secret-bench!",
        content_dir=DEFAULT_CONTENT_DIR,
        dev_guild_id=None,
        log_level="WARNING",
        prompt_grace_hours=6,
        send_rate_per_second=45,
        send_concurrency=8,
        api_base=None,
    )
    clock = FakeClock(datetime(2025, 3, 3, 12, tzinfo=UTC))
    return MutualBot(
        settings, clock=clock, content=load_content(DEFAULT_CONTENT_DIR), start_timers=False
    )


async def timed(latencies: list[float], action: Awaitable[Reply]) -> Reply:
    started = time.perf_counter()
    reply = await action
    latencies.append(time.perf_counter() - started)
    if not reply.acknowledged:
        raise RuntimeError(f"not answered: {reply!r}")
    return reply


async def drive(
    name: str,
    sandbox: Sandbox,
    names: list[str],
    seconds: float,
    unit: Callable[[Person, list[float]], Awaitable[int]],
) -> Figures:
    """Each member repeats `unit` (one ping, or one whole check) until the time is up."""
    # Problems from start-up (e.g. another feature's command definitions) are not this flow's.
    for failure in sandbox.take_failures():
        logging.getLogger("bench").warning("before the run: %s", failure)
    latencies: list[float] = []
    count = 0
    deadline = time.perf_counter() + seconds

    async def member(person: Person) -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            count += await unit(person, latencies)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(member(sandbox.person(n)) for n in names))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = Figures(name, count, elapsed, latencies, cpu)
    sandbox.assert_no_failures()
    return figures


async def one_ping(person: Person, latencies: list[float]) -> int:
    reply = await timed(latencies, person.slash("ping"))
    assert reply.content == "pong" and reply.ephemeral
    return 1


async def one_echo(person: Person, latencies: list[float]) -> int:
    reply = await timed(latencies, person.slash("echo"))
    for _ in range(15):
        reply = await timed(latencies, person.click(reply, "Answer 1"))
    return 16


def one_check(
    instruments: list[tuple[str, int]],
) -> Callable[[Person, list[float]], Awaitable[int]]:
    turn = 0

    async def run(person: Person, latencies: list[float]) -> int:
        nonlocal turn
        instrument, items = instruments[turn % len(instruments)]
        turn += 1
        reply = await timed(latencies, person.slash("selfcheck start", instrument=instrument))
        await timed(latencies, person.click(reply, "Begin"))
        for n in range(items):
            reply = await timed(latencies, person.click(reply, ANSWER_LABELS[n % 3]))
        assert reply.ephemeral and "Your reflection" in reply.text
        saved = await timed(latencies, person.click(reply, "Save to my private history"))
        assert saved.ephemeral
        return items + 3

    return run


async def measure(
    people: int, seconds: float, rounds: int, schema: bool
) -> tuple[Figures, Figures, Figures]:
    """Alternate the two bots so that machine noise falls on both; keep each one's best round."""
    content = load_content(DEFAULT_CONTENT_DIR)
    instruments = sorted((i.id, len(i.items)) for i in content.instruments.values())
    best: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as folder:
        # Without a spec file the stand-in skips only its JSON-schema pass (limits still apply).
        spec = None if schema else Path(folder) / "no-spec.json"
        for _ in range(rounds):
            world, names = world_with(people)
            async with Sandbox(ping_bot, world=world, settle_quiet=0.0, spec_path=spec) as sandbox:
                await drive("ping", sandbox, names, 0.3, one_ping)  # warm-up
                ping = await drive("bare /ping", sandbox, names, seconds, one_ping)
                echo = await drive("same-shape echo", sandbox, names, seconds, one_echo)
            world, names = world_with(people)
            async with Sandbox(
                lambda: mutual_bot(Path(folder)), world=world, settle_quiet=0.0, spec_path=spec
            ) as sandbox:
                check = await drive(
                    "full self-check", sandbox, names, seconds, one_check(instruments)
                )
            for figures in (ping, echo, check):
                if figures.name not in best or figures.rate > best[figures.name].rate:
                    best[figures.name] = figures
    return best["bare /ping"], best["same-shape echo"], best["full self-check"]


def report(title: str, ping: Figures, echo: Figures, check: Figures) -> None:
    print(title)
    for figures in (ping, echo, check):
        print("  " + figures.line())
    ratio = check.rate / ping.rate if ping.rate else 0.0
    cpu_ratio = check.cpu_rate / ping.cpu_rate if ping.cpu_rate else 0.0
    verdict = "meets" if ratio >= GOAL else "below"
    print(
        f"  ratio self-check / ping: {ratio:.2f} ({verdict} the goal of {GOAL}); "
        f"per CPU second: {cpu_ratio:.2f}"
    )
    floor = echo.rate / ping.rate if ping.rate else 0.0
    share = check.rate / echo.rate if echo.rate else 0.0
    print(
        f"  for scale: a logic-free DynamicItem echo of the same shape reaches {floor:.2f} of "
        f"ping; the self-check reaches {share:.2f} of that echo"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1, help="members acting at once")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best kept")
    parser.add_argument(
        "--schema",
        choices=["off", "on", "both"],
        default="both",
        help="the stand-in's OpenAPI body validation (costly for bodies with many components)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("discord").setLevel(logging.ERROR)
    print(f"{args.people} member(s) at once, best of {args.rounds} rounds of {args.seconds:g} s")
    modes = {"off": [False], "on": [True], "both": [False, True]}[args.schema]
    for schema in modes:
        ping, echo, check = asyncio.run(measure(args.people, args.seconds, args.rounds, schema))
        title = (
            "stand-in WITH OpenAPI schema validation of every body"
            if schema
            else "stand-in without schema validation (limit checks only)"
        )
        report(title, ping, echo, check)


if __name__ == "__main__":
    main()
