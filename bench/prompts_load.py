"""Start-up with 100,000 prompt schedules, against an empty database in the same run.

    .venv/bin/python -m bench.prompts_load [--schedules 100000] [--database sqlite|postgresql]

Each measurement runs in a fresh child process so memory figures are not polluted by the
parent: the real MutualBot's `setup_hook` (open and migrate the database, load content and every
feature, register the prompt timer source, start the dispatcher), then what READY sets off in the
real bot: the first tick, which runs the start-up recovery and whatever is due. The floor is the
same start-up on an empty database. Reported: start-up time and resident memory, and the extra
over the floor (goals: < 2 s and < 150 MB extra).

A third run starts after a long outage, every schedule overdue beyond the grace window, so the
first tick must skip and move all of them: the catch-up, timed on its own (goal: < 3 s for
100,000). Meanwhile another timer source asks to run 20 ms after its last run ended and does a
short transaction, as a discussion closing would; the longest it waited is how long the catch-up
held other timers back (goal: < 100 ms at a time).

`--database postgresql` runs the three start-ups on three PostgreSQL databases of the run's own
(filled with COPY, then ANALYZE, and dropped at the end even when the run fails); the memory
figures are then the bot process's alone, not the server's.

`--quick` runs 2,000 schedules in seconds, for CI: it proves the benchmark still runs and the
catch-up leaves nothing overdue; its timings are too small to judge the goals by.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ZONES = (
    "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos",
    "Pacific/Auckland", "America/Chicago", "Europe/Paris", "Asia/Singapore", "Europe/Madrid",
)  # fmt: skip
GOAL_SECONDS = 2.0
GOAL_MB = 150.0
GOAL_CATCH_UP = 3.0  # seconds per 100,000 overdue schedules
GOAL_HELD_MS = 100.0
PROBE_EVERY = 0.02  # the pause before another timer asks again, once the last one ran
QUICK = 2_000


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def build(target: str, count: int, *, overdue: bool) -> None:
    """Schedules spread over the day in many zones, plus yesterday's post and the prompt
    rotation of each server, in a SQLite file or a PostgreSQL database (a URL)."""
    from bot.db import open_storage

    async def migrate() -> None:
        db = await open_storage(target, target if is_url(target) else None)
        await db.migrate()
        await db.close()

    asyncio.run(migrate())
    tables = rows(count, overdue=overdue)
    if is_url(target):
        asyncio.run(copy_into(target, tables))
        return
    conn = sqlite3.connect(target)
    with conn:
        for table, (columns, values) in tables.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    conn.close()


Rows = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]
"""Per table: its column names and the rows to put in it."""


def rows(count: int, *, overdue: bool) -> Rows:
    from bot.services.prompts.rotation import deck_of
    from bot.services.prompts.schedule import Rule, parse_time, resolve_timezone

    now = datetime.now(UTC)
    base = now - timedelta(days=3) if overdue else now
    rng = random.Random(5)
    zones = {name: resolve_timezone(name) for name in ZONES}
    rules: dict[tuple[str, str], Rule] = {}
    schedules, posts, rotations, places = [], [], [], []
    keys = sorted(shipped_prompt_ids())
    deck = deck_of(keys)
    for number in range(count):
        guild = 10**17 + number
        zone = rng.choice(ZONES)
        at = f"{rng.randrange(24):02d}:{rng.choice((0, 15, 30, 45)):02d}"
        rule = rules.setdefault((zone, at), Rule(parse_time(at), zones[zone]))
        run = rule.next_after(base)
        schedules.append((guild, guild + 1, at, zone, int(run.at_utc.timestamp()),
                          run.local_date.isoformat()))  # fmt: skip
        yesterday = (run.local_date - timedelta(days=1)).isoformat()
        posts.append((guild, yesterday, guild + 1, "trust-001", 0, 0, "sent", guild + 2))
        # A year-old server is part-way through its shuffled order of the prompts.
        order = rng.sample(keys, len(keys))
        rotations.append((guild, "\n".join(order), deck))
        places.append((guild, rng.randrange(len(keys))))
    return {
        "prompt_schedules": (
            ("guild_id", "channel_id", "local_time", "timezone", "next_run_utc",
             "next_local_date"),
            schedules,
        ),
        "prompt_posts": (
            ("guild_id", "local_date", "channel_id", "prompt_key", "due_utc", "claimed_utc",
             "status", "message_id"),
            posts,
        ),
        "prompt_rotation": (("guild_id", "sequence", "deck"), rotations),
        "prompt_rotation_place": (("guild_id", "reached"), places),
    }  # fmt: skip


async def copy_into(url: str, tables: Rows) -> None:
    """PostgreSQL's bulk path (COPY), then VACUUM ANALYZE, as a long-running server's tables
    have been (statistics for the planner, visibility maps for index-only scans)."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for table, (columns, values) in tables.items():
            if values:
                await conn.copy_records_to_table(table, records=values, columns=list(columns))
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def shipped_prompt_ids() -> list[str]:
    from bot.config import DEFAULT_CONTENT_DIR
    from bot.content import load_content
    from bot.content.loader import default_seeds_dir

    content = load_content(DEFAULT_CONTENT_DIR, seeds_dir=default_seeds_dir(DEFAULT_CONTENT_DIR))
    return list(content.prompts)


class Probe:
    """Another timer source (as discussions are) that wants the database while a catch-up runs.

    Each probe run is a tick the dispatcher makes for it, timed from the tick's call until the
    probe's own short transaction is done: how long the catch-up held every other timer back.
    """

    name = "probe"

    def __init__(self, db: Any) -> None:
        self.db = db
        self.waits: list[float] = []
        self.done = asyncio.Event()

    async def next_due(self) -> None:
        return None

    async def run_due(self, now: datetime) -> None:
        async with self.db.transaction() as tx:
            await tx.fetchone("SELECT COUNT(*) FROM prompt_schedules WHERE guild_id = 1")
        self.waits.append(time.time() - now.timestamp())  # `now` is when the tick began
        self.done.set()


def child(database: str) -> None:
    """One start-up, measured from inside, first tick included; prints a JSON line."""
    before = rss_mb()[0]
    started = time.perf_counter()

    async def go() -> dict[str, float]:
        from bot.app import MutualBot
        from bot.config import load_settings

        where = "MUTUAL_DATABASE_URL" if is_url(database) else "MUTUAL_DATABASE"
        settings = load_settings(
            {where: database, "MUTUAL_SECRET": "benchmark-secret-0123456789"}, dotenv=None
        )
        bot = MutualBot(settings)
        # Not logged in to Discord: count the posts handed to the sender instead of sending.
        handed: list[str] = []
        bot.sender.submit = lambda name, job: handed.append(name)  # type: ignore[assignment,method-assign,return-value]
        await bot.setup_hook()
        ready = time.perf_counter()
        probe = Probe(bot.db)
        bot.dispatcher.add_source(probe)
        stop = asyncio.Event()

        ticks: list[asyncio.Task[None]] = []

        async def other_timers() -> None:
            # One timer at a time, as alarms come: the tick itself is not awaited, since it also
            # waits for the busy prompts source, while the probe beside it runs at once.
            while not stop.is_set():
                probe.done.clear()
                ticks.append(asyncio.create_task(bot.dispatcher.tick()))
                await probe.done.wait()
                await asyncio.sleep(PROBE_EVERY)

        # What READY sets off in the real bot: the first tick, with whatever fell due meanwhile.
        first = asyncio.gather(*(on_ready() for on_ready in bot.extra_events.get("on_ready", [])))
        await asyncio.sleep(0)  # the first tick takes its sources before the other timers ask
        prober = asyncio.create_task(other_timers())
        await first
        done = time.perf_counter()
        stop.set()
        await prober
        await asyncio.gather(*ticks)
        overdue = await bot.db.fetchval(
            "SELECT COUNT(*) FROM prompt_schedules WHERE next_run_utc <= ?", (int(time.time()),)
        )
        await bot.dispatcher.stop()
        await bot.db.close()
        return {
            "setup": ready - started,
            "first_tick": done - ready,
            "total": done - started,
            "held_back": max(probe.waits, default=0.0),
            "probes": len(probe.waits),
            "left_overdue": overdue,
            "handed": len(handed),
        }

    figures = asyncio.run(go())
    current, peak = rss_mb()
    print(json.dumps({**figures, "rss": current, "peak": peak, "rss_before": before}))


def measure(database: str, name: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.prompts_load", "--child", database],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise ChildFailed(f"the start-up on {name} failed: {out.stderr.strip()[-500:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


class ChildFailed(RuntimeError):
    """A measured start-up crashed: the run is broken, whatever the figures."""


def measure_all(targets: list[str], count: int) -> list[dict[str, float]]:
    """Build the empty, the full and the overdue database, then start a bot on each."""
    empty, full, late = targets
    build(empty, 0, overdue=False)
    t0 = time.perf_counter()
    build(full, count, overdue=False)
    print(f"built {count:,} schedules (+ a day of posts) in {time.perf_counter() - t0:.1f} s")
    build(late, count, overdue=True)
    return [
        measure(empty, "the empty database"),
        measure(full, "the full database"),
        measure(late, "the overdue database"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schedules", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} schedules, for CI")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), default="sqlite",
        help="SQLite files, or PostgreSQL databases of the run's own (created and dropped by it)",
    )  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    # Here, not at the top: the children time their own imports of the bot as part of start-up.
    from bench._common import verdict

    count = QUICK if args.quick else args.schedules
    try:
        if args.database == "postgresql":
            from bench import _postgres

            with _postgres.blocking(3, migrate=False) as urls:
                floor, loaded, outage = measure_all(urls, count)
        else:
            tmp = Path(tempfile.mkdtemp(prefix="mutual-load-"))
            try:
                names = [str(tmp / name) for name in ("empty.db", "full.db", "late.db")]
                floor, loaded, outage = measure_all(names, count)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except ChildFailed as error:
        return verdict([str(error)], [])
    except RuntimeError as error:  # PostgreSQL unreachable
        return verdict([f"{type(error).__name__}: {error}"], [])
    if args.database == "postgresql":
        print("database: PostgreSQL, a database of the run's own for each start (the bot's memory")
        print("  is the bot process's alone: the server's own memory is not counted)")
    else:
        print("database: SQLite, a file for each start")
    extra_s = loaded["total"] - floor["total"]
    extra_mb = loaded["rss"] - floor["rss"]
    catch_up = outage["first_tick"]
    held = outage["held_back"] * 1000
    print("start-up = open, migrate, load content and features, then the first tick on READY")
    print(f"{'':28}{'start-up s':>12}{'first tick s':>14}{'RSS MB':>10}{'peak MB':>10}")
    for name, f in (("floor (empty database)", floor), (f"{count:,} schedules", loaded),
                    ("after a 3-day outage", outage)):  # fmt: skip
        print(
            f"{name:28}{f['total']:12.3f}{f['first_tick']:14.3f}{f['rss']:10.1f}{f['peak']:10.1f}"
        )
    print(f"extra over the floor: {extra_s:.3f} s (goal < {GOAL_SECONDS:g}), "
          f"{extra_mb:.1f} MB RSS (goal < {GOAL_MB:g}), peak {loaded['peak'] - floor['peak']:.1f} MB")  # fmt: skip
    print(f"outage catch-up (the first tick): {catch_up:.3f} s for {count:,} overdue schedules "
          f"(goal < {GOAL_CATCH_UP:g} s at 100,000); other timers held back at most {held:.0f} ms "
          f"over {int(outage['probes'])} probes (goal < {GOAL_HELD_MS:g} ms); "
          f"{int(outage['handed']):,} posts within the grace window handed to the sender, "
          f"the rest skipped; overdue rows left: {int(outage['left_overdue'])}")  # fmt: skip
    broken = []
    if outage["left_overdue"]:
        broken.append(f"{int(outage['left_overdue'])} schedules still overdue after catch-up")
    if loaded["left_overdue"]:
        broken.append(f"{int(loaded['left_overdue'])} schedules overdue after a normal start")
    if not outage["probes"]:
        broken.append("no other timer ran during the catch-up")
    missed = []
    if extra_s >= GOAL_SECONDS:
        missed.append(f"start-up {extra_s:.2f} s extra")
    if extra_mb >= GOAL_MB:
        missed.append(f"{extra_mb:.0f} MB extra")
    if catch_up * 100_000 / max(count, 1) >= GOAL_CATCH_UP:
        missed.append(f"catch-up {catch_up:.2f} s")
    if held >= GOAL_HELD_MS:
        missed.append(f"timers held back {held:.0f} ms")
    return verdict(broken, missed)


if __name__ == "__main__":
    raise SystemExit(main())
