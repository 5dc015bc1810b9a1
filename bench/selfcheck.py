"""A full self-check through the Discord stand-in, against a bare /ping bot in the same run.

    .venv/bin/python -m bench.selfcheck [--people 1] [--seconds 2] [--rounds 3] [--schema both]

The ceiling is a bot that only answers /ping (ephemeral "pong"), driven by the same simulated
members through the same stand-in. The self-check run has each member take full checks of every
instrument in turn: /selfcheck start, Begin, every answer, then Save, each step a real
interaction (slash command or button click) answered by the real MutualBot on a temporary
database. Reported: interactions per second, p50/p99 latency per interaction (sent until the bot
has answered), interactions per CPU second, and the ratio self-check / ping (goal: >= 0.7).

For scale, a logic-free DynamicItem "echo" that re-renders a message of the same shape (an
embed and eight buttons) is measured beside /ping: it shows what any button flow of that shape
costs in discord.py and the stand-in before the self-check does any work of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bench._common import (
    Figures,
    Unit,
    bench_sandbox,
    drive,
    mutual_bot,
    one_ping,
    ping_bot,
    quiet_logging,
    shipped_content,
    spec_for,
    timed,
    world_with,
)
from bot.clock import FakeClock
from bot.content.model import ANSWER_LABELS
from bot.sandbox.harness import Sandbox
from bot.sandbox.people import Person

GOAL = 0.7


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


def ceiling_bot() -> commands.Bot:
    """The shared /ping ceiling plus the same-shape reference (/echo and its buttons)."""
    bot = ping_bot()

    @bot.tree.command(name="echo", description="A question-shaped message")
    async def echo(interaction: discord.Interaction) -> None:
        embed, view = question_shaped(0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    async def register() -> None:
        bot.add_dynamic_items(Echo)

    bot.setup_hook = register  # type: ignore[method-assign]
    return bot


async def one_echo(person: Person, latencies: list[float]) -> int:
    reply = await timed(latencies, person.slash("echo"))
    for _ in range(15):
        reply = await timed(latencies, person.click(reply, "Answer 1"))
    return 16


def one_check(instruments: list[tuple[str, int]], clock: FakeClock) -> Unit:
    turn = 0

    async def run(person: Person, latencies: list[float]) -> int:
        nonlocal turn
        instrument, items = instruments[turn % len(instruments)]
        turn += 1
        clock.advance(timedelta(minutes=1))  # a new session each time, so every Save stores
        reply = await timed(latencies, person.slash("selfcheck start", instrument=instrument))
        await timed(latencies, person.click(reply, "Begin"))
        for n in range(items):
            reply = await timed(latencies, person.click(reply, ANSWER_LABELS[n % 3]))
        assert reply.ephemeral and "Your reflection" in reply.text
        saved = await timed(latencies, person.click(reply, "Save to my private history"))
        assert saved.ephemeral and "Saved" in saved.content
        return items + 3

    return run


async def cpu_timed(
    name: str, sandbox: Sandbox, names: list[str], seconds: float, unit: Unit
) -> tuple[Figures, float]:
    """The figures and the interactions per CPU second of this process (bot, stand-in and
    members together), which is steadier than wall time when other work shares the machine."""
    cpu = time.process_time()
    figures = await drive(name, sandbox, names, seconds, unit)
    used = time.process_time() - cpu
    return figures, figures.interactions / used if used else 0.0


async def measure(
    people: int, seconds: float, rounds: int, schema: bool
) -> dict[str, tuple[Figures, float]]:
    """Alternate the bots so that machine noise falls on all; keep each one's best round."""
    instruments = sorted((i.id, len(i.items)) for i in shipped_content().instruments.values())
    best: dict[str, tuple[Figures, float]] = {}

    def keep(found: tuple[Figures, float]) -> None:
        name = found[0].name
        if name not in best or found[0].rate > best[name][0].rate:
            best[name] = found

    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp:
        folder = Path(tmp)
        spec = spec_for(schema, folder)
        for number in range(rounds):
            world, names = world_with(people)
            async with bench_sandbox(ceiling_bot, world, spec) as sandbox:
                await drive("warm-up", sandbox, names, 0.3, one_ping)
                keep(await cpu_timed("bare /ping", sandbox, names, seconds, one_ping))
                keep(await cpu_timed("same-shape echo", sandbox, names, seconds, one_echo))
            world, names = world_with(people)
            clock = FakeClock(datetime(2025, 3, 3, 12, tzinfo=UTC))
            database = folder / f"round-{number}"
            database.mkdir()
            bot = mutual_bot(database, clock=clock)
            async with bench_sandbox(bot, world, spec) as sandbox:
                check = one_check(instruments, clock)
                keep(await cpu_timed("full self-check", sandbox, names, seconds, check))
    return best


def report(title: str, best: dict[str, tuple[Figures, float]]) -> None:
    print(title)
    for figures, per_cpu in best.values():
        print(f"  {figures.line()}  ({per_cpu:7.1f} per CPU s)")
    (ping, ping_cpu), (echo, _), (check, check_cpu) = (
        best["bare /ping"],
        best["same-shape echo"],
        best["full self-check"],
    )
    ratio = check.ratio(ping)
    verdict = "meets" if ratio >= GOAL else "below"
    cpu_ratio = check_cpu / ping_cpu if ping_cpu else 0.0
    print(
        f"  ratio self-check / ping: {ratio:.2f} ({verdict} the goal of {GOAL}); "
        f"per CPU second: {cpu_ratio:.2f}"
    )
    print(
        f"  for scale: a logic-free DynamicItem echo of the same shape reaches "
        f"{echo.ratio(ping):.2f} of ping; the self-check reaches {check.ratio(echo):.2f} of it"
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
    quiet_logging()
    print(f"{args.people} member(s) at once, best of {args.rounds} rounds of {args.seconds:g} s")
    for schema in {"off": [False], "on": [True], "both": [False, True]}[args.schema]:
        best = asyncio.run(measure(args.people, args.seconds, args.rounds, schema))
        title = (
            "stand-in WITH OpenAPI schema validation of every body"
            if schema
            else "stand-in without schema validation (limit checks only)"
        )
        report(title, best)


if __name__ == "__main__":
    main()
