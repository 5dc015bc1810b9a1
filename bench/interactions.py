"""Mutual's everyday interactions through the Discord stand-in, against a bare /ping bot.

    .venv/bin/python -m bench.interactions [--seconds 2] [--concurrency 1 8] [--schema] [--quick]
        [--database sqlite|postgresql|both]

The ceiling is a bot that only answers /ping: the same stand-in, the same discord.py client,
no work. Beside it, the real MutualBot on a temporary database runs the flows members use most,
each interaction a real slash command or button click over the gateway and HTTP:

- /about, /resources, /mydata show: one answer each (the last two read the database);
- /learn random; /learn topic, then Next (a slash command and a component click);
- a whole self-check: start, Begin, every answer, Save; the clock moves on a minute before
  each, so every check is a new session whose result is counted and saved.

Mutual's database is filled as a year-old instance's is (`bench._yearold`): 1,000 servers with
a year of self-check counts (about 1,000,000 rows), 500 saved results for each member acting,
and their anonymous questions in all 1,000 servers, so `/mydata show` and every write meet
tables of that size. `--quick` fills 100 servers with a month of counts.

Each flow is measured with one interaction in flight (what one member feels) and with several
members acting at once (`--concurrency`). The ceiling is measured before and after Mutual's
flows and the faster of the two is kept, so ratios are never flattered by a slow ceiling.
Printed: interactions per second, p50 and p99 latency (sent until answered) and each flow's
rate as a ratio of the ceiling's at the same concurrency.

`--database postgresql` runs Mutual on a PostgreSQL database of the run's own (filled the same
way, with COPY, and dropped at the end even when the run fails); `--database both` runs Mutual
on SQLite, PostgreSQL, PostgreSQL and SQLite in turn (each database filled once and met again by
the same members; each flow keeps its faster figure, so a drift in the machine's load falls on
both alike; `--quick` runs each once) and prints each flow's ratio to the one ceiling on both,
side by side, with PostgreSQL's over SQLite's (goal >= 0.9).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import _postgres
from bench._common import (
    Figures,
    Unit,
    bench_sandbox,
    bench_settings,
    drive,
    mutual_bot,
    one_ping,
    ping_bot,
    quiet_logging,
    shipped_content,
    spec_for,
    table,
    timed,
    verdict,
    world_with,
)
from bench._yearold import fill, servers
from bot.clock import FakeClock
from bot.content.model import ANSWER_LABELS
from standin.demo import demo_guild
from standin.harness import Sandbox
from standin.people import Person, Reply
from standin.state import World

CEILING = "/ping (ceiling)"
GOAL_POSTGRES = 0.9  # each flow's ratio on PostgreSQL, over its ratio on SQLite
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
INSTRUMENT = "healthy-dependence"
START = datetime(2026, 3, 2, 12, tzinfo=UTC)


def single(command: str, expect: str, **options: Any) -> Unit:
    async def run(person: Person, latencies: list[float]) -> int:
        reply = await timed(latencies, person.slash(command, **options))
        assert expect in reply.text, (command, reply.text[:200])
        return 1

    return run


async def learn_topic(person: Person, latencies: list[float]) -> int:
    reply = await timed(latencies, person.slash("learn topic", topic="trust"))
    assert reply.embed is not None and "1 of" in reply.embed["footer"]["text"], reply
    await timed(latencies, person.click(reply, "Next"))
    assert reply.embed is not None and "2 of" in reply.embed["footer"]["text"], reply
    return 2


def selfcheck(clock: FakeClock) -> Unit:
    async def run(person: Person, latencies: list[float]) -> int:
        items = len(shipped_content().instruments[INSTRUMENT].items)
        clock.advance(timedelta(minutes=1))  # a new session each time: counted and saved
        reply = await timed(latencies, person.slash("selfcheck start", instrument=INSTRUMENT))
        await timed(latencies, person.click(reply, "Begin"))
        for number in range(items):
            reply = await timed(latencies, person.click(reply, ANSWER_LABELS[number % 3]))
        assert "Your reflection" in reply.text, reply.text[:200]
        saved: Reply = await timed(latencies, person.click(reply, "Save to my private history"))
        assert saved.ephemeral and "Saved" in saved.content, saved.content[:200]
        return items + 3

    return run


def flows(clock: FakeClock) -> dict[str, Unit]:
    return {
        "/about": single("about", "About Mutual"),
        "/resources": single("resources", "Where to find support"),
        "/mydata show": single("mydata show", "What Mutual keeps about you"),
        "/learn random": single("learn random", "A passage to sit with"),
        "/learn topic + Next": learn_topic,
        "self-check, whole": selfcheck(clock),
    }


FLOW_NAMES = list(flows(FakeClock(START)))


def year_old(
    folder: Path, guild: int, members: list[int], quick: bool, url: str | None = None
) -> Callable[[], None]:
    """Fill Mutual's database as a year-old instance's, before the bot opens it."""

    def build() -> None:
        content = shipped_content()
        started = time.perf_counter()
        sizes = fill(
            folder / "bench.db",
            bench_settings(folder).secret,
            {i.id: [d.id for d in i.dimensions] for i in content.instruments.values()},
            today=START.date(),
            guilds=servers(100 if quick else 1000, first=[guild]),
            members=members,
            question_servers=100 if quick else 1000,
            days=30 if quick else 365,
            url=url,
        )
        where = "PostgreSQL" if url else "SQLite"
        print(f"filled the {where} database: {sizes} rows in {time.perf_counter() - started:.1f} s")

    return build


async def measure_all(
    sandbox: Sandbox,
    names: list[str],
    flows: dict[str, Unit],
    levels: list[int],
    seconds: float,
    found: dict[tuple[str, int], Figures],
) -> None:
    """Every flow at every concurrency level, after a short warm-up of each flow."""
    for name, unit in flows.items():
        await drive(f"warm-up {name}", sandbox, names[:1], min(0.3, seconds), unit)
        for level in levels:
            figures = await drive(name, sandbox, names[:level], seconds, unit)
            previous = found.get((name, level))
            if previous is None or figures.rate > previous.rate:
                found[(name, level)] = figures


Found = dict[str, dict[tuple[str, int], Figures]]
"""Figures by database ("ceiling" for /ping), then by flow and concurrency."""


async def run(
    seconds: float,
    levels: list[int],
    schema: bool,
    quick: bool = False,
    databases: Sequence[str] = ("sqlite",),
) -> Found:
    """The ceiling, then Mutual's flows, then the ceiling again.

    With both databases, Mutual runs on SQLite, on PostgreSQL, on PostgreSQL again and on SQLite
    again (each filled once), and each flow keeps its faster figure, as the ceiling does: the
    machine's load drifts during a run, and this order lets the drift fall on both alike.
    """
    found: Found = {CEILING: {}, **{database: {} for database in databases}}
    people = max(levels)
    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp:
        spec = spec_for(schema, Path(tmp))

        async def with_ping() -> None:
            world, names = world_with(people)
            async with bench_sandbox(ping_bot, world, spec) as sandbox:
                await measure_all(sandbox, names, {CEILING: one_ping}, levels, seconds, found[CEILING])  # fmt: skip

        await with_ping()
        async with contextlib.AsyncExitStack() as stack:
            # Per database, kept for its second round: the database's URL, the world whose
            # members' data it was filled with, and the clock (every self-check a new session).
            kept: dict[str, tuple[str | None, World, list[str], FakeClock]] = {}
            twice = len(databases) > 1 and not quick
            rounds = [*databases, *reversed(databases)] if twice else databases
            for database in rounds:
                folder = Path(tmp) / database
                if database not in kept:
                    folder.mkdir()
                    url = None
                    if database == "postgresql":
                        url = await stack.enter_async_context(_postgres.database(migrate=False))
                    world, names = world_with(people)
                    members = [u.id for u in world.users.values() if u.username in names]
                    fill = year_old(folder, demo_guild(world).id, members, quick, url)
                    await asyncio.to_thread(fill)
                    kept[database] = (url, world, names, FakeClock(START))
                url, world, names, clock = kept[database]
                factory = functools.partial(mutual_bot, folder, clock=clock, database_url=url)
                async with bench_sandbox(factory, world, spec) as sandbox:
                    await measure_all(sandbox, names, flows(clock), levels, seconds, found[database])  # fmt: skip
        await with_ping()
    return found


def report(found: Found, database: str, levels: list[int]) -> str:
    headers = ["flow"]
    for level in levels:
        tag = "1 in flight" if level == 1 else f"{level} in flight"
        headers += [f"{tag}: /s", "p50 ms", "p99 ms", "ratio"]
    rows = []
    ceilings = found[CEILING]
    for name in [CEILING, *FLOW_NAMES]:
        row = [name]
        for level in levels:
            figures = ceilings[(name, level)] if name == CEILING else found[database][(name, level)]
            row += [
                f"{figures.rate:.0f}",
                f"{figures.p50:.1f}",
                f"{figures.p99:.1f}",
                f"{figures.ratio(ceilings[(CEILING, level)]):.2f}",
            ]
        rows.append(row)
    return table(headers, rows)


def side_by_side(found: Found, levels: list[int]) -> tuple[str, list[str]]:
    """Each flow's ratio to the one ceiling on SQLite and on PostgreSQL, and PostgreSQL's over
    SQLite's (goal >= GOAL_POSTGRES); returns the table and the flows below the goal."""
    headers = ["flow"]
    for level in levels:
        tag = "1 in flight" if level == 1 else f"{level} in flight"
        headers += [f"{tag}: SQLite", "PostgreSQL", "PG / SQLite"]
    rows, missed = [], []
    for name in FLOW_NAMES:
        row = [name]
        for level in levels:
            ceiling = found[CEILING][(CEILING, level)]
            lite = found["sqlite"][(name, level)].ratio(ceiling)
            pg = found["postgresql"][(name, level)].ratio(ceiling)
            share = pg / lite if lite else 0.0
            row += [f"{lite:.2f}", f"{pg:.2f}", f"{share:.2f}"]
            if share < GOAL_POSTGRES:
                missed.append(f"{name} at {level} in flight: PostgreSQL {share:.2f} of SQLite")
        rows.append(row)
    return table(headers, rows), missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each measurement")
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 8],
        help="members acting at once, one measurement per value (default: 1 8)",
    )
    parser.add_argument(
        "--schema",
        action="store_true",
        help="let the stand-in validate every body against Discord's OpenAPI spec (slower, "
        "and the validator's cost lands on the side that sends the bigger bodies)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="0.1 s per measurement at 1 and 2 in flight, for CI"
    )
    parser.add_argument(
        "--database", choices=[*_postgres.DATABASES, "both"], default="sqlite",
        help="Mutual's database: a SQLite file, a PostgreSQL database of the run's own (created "
        "and dropped by the run), or both in one run, compared against the same ceiling",
    )  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.concurrency = 0.1, [1, 2]
    levels = sorted(set(args.concurrency))
    databases = list(_postgres.DATABASES) if args.database == "both" else [args.database]
    quiet_logging()
    started = time.perf_counter()
    try:
        found = asyncio.run(run(args.seconds, levels, args.schema, args.quick, databases))
    except Exception as error:  # a flow that failed or went unanswered: nothing to compare
        return verdict([f"{type(error).__name__}: {error}"], [])
    validation = "with OpenAPI validation" if args.schema else "limit checks only, no OpenAPI pass"
    print(
        f"Interactions through the Discord stand-in ({validation}); {args.seconds:g} s per "
        "measurement, ceiling = faster of two /ping runs; ratio = flow rate / ceiling rate"
    )
    for database in databases:
        print(f"\nMutual on {NAMES[database]}:")
        print(report(found, database, levels))
    missed: list[str] = []
    if len(databases) == 2:
        print(f"\nRatio to the same ceiling, side by side (goal: PostgreSQL >= {GOAL_POSTGRES} "
              "of SQLite for every flow)")  # fmt: skip
        compared, missed = side_by_side(found, levels)
        print(compared)
    print(f"({time.perf_counter() - started:.0f} s in all)")
    return verdict([], missed)


if __name__ == "__main__":
    raise SystemExit(main())
