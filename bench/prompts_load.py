"""Start-up with 100,000 prompt schedules, against an empty database in the same run.

    .venv/bin/python -m bench.prompts_load [--schedules 100000]

Each measurement runs in a fresh child process so memory figures are not polluted by the
parent: the real MutualBot's `setup_hook` (open and migrate the database, load content and every
feature, register the prompt timer source, start the dispatcher, whose first tick runs the
start-up recovery and finds what is due) followed by `next_due()`. The floor is the same start-up
on an empty database. Reported: start-up time and resident memory, and the extra over the floor
(goals: < 2 s and < 150 MB extra). A third run starts after a long outage, with every schedule
overdue beyond the grace window, so the first tick must skip and move all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ZONES = (
    "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
    "America/Sao_Paulo", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Africa/Lagos",
    "Pacific/Auckland", "America/Chicago", "Europe/Paris", "Asia/Singapore", "Europe/Madrid",
)  # fmt: skip
GOAL_SECONDS = 2.0
GOAL_MB = 150.0


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def build(path: Path, count: int, *, overdue: bool) -> None:
    """Schedules spread over the day in many zones, plus yesterday's posts for each server."""
    from bot.db import Database
    from bot.services.prompts.schedule import Rule, parse_time, resolve_timezone

    async def go() -> None:
        db = await Database.open(path)
        await db.migrate()
        await db.close()

    asyncio.run(go())
    now = datetime.now(UTC)
    base = now - timedelta(days=3) if overdue else now
    rng = random.Random(5)
    zones = {name: resolve_timezone(name) for name in ZONES}
    rules: dict[tuple[str, str], Rule] = {}
    schedules, posts = [], []
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
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            """INSERT INTO prompt_schedules (guild_id, channel_id, local_time, timezone,
               next_run_utc, next_local_date) VALUES (?, ?, ?, ?, ?, ?)""",
            schedules,
        )
        conn.executemany(
            """INSERT INTO prompt_posts (guild_id, local_date, channel_id, prompt_key, due_utc,
               claimed_utc, status, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            posts,
        )
    conn.close()


def child(database: str) -> None:
    """One start-up, measured from inside; prints a JSON line."""
    before = rss_mb()[0]
    started = time.perf_counter()

    async def go() -> dict[str, float]:
        from bot.app import MutualBot
        from bot.config import load_settings

        settings = load_settings(
            {"MUTUAL_DATABASE": database, "MUTUAL_SECRET": "benchmark-secret-0123456789"},
            dotenv=None,
        )
        bot = MutualBot(settings)
        # Not logged in to Discord: count the posts handed to the sender instead of sending.
        handed: list[str] = []
        bot.sender.submit = lambda name, job: handed.append(name)  # type: ignore[assignment,method-assign,return-value]
        await bot.setup_hook()
        ready = time.perf_counter()
        await bot.dispatcher.next_due()
        done = time.perf_counter()
        overdue = await bot.db.fetchval(
            "SELECT COUNT(*) FROM prompt_schedules WHERE next_run_utc <= ?", (int(time.time()),)
        )
        await bot.dispatcher.stop()
        await bot.db.close()
        return {
            "setup": ready - started,
            "total": done - started,
            "left_overdue": overdue,
            "handed": len(handed),
        }

    figures = asyncio.run(go())
    current, peak = rss_mb()
    print(json.dumps({**figures, "rss": current, "peak": peak, "rss_before": before}))


def measure(database: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.prompts_load", "--child", str(database)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schedules", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="mutual-load-"))
    empty, full, late = tmp / "empty.db", tmp / "full.db", tmp / "late.db"
    build(empty, 0, overdue=False)
    t0 = time.perf_counter()
    build(full, args.schedules, overdue=False)
    print(
        f"built {args.schedules:,} schedules (+ a day of posts) in {time.perf_counter() - t0:.1f} s"
    )
    build(late, args.schedules, overdue=True)
    floor, loaded, outage = measure(empty), measure(full), measure(late)
    extra_s = loaded["total"] - floor["total"]
    extra_mb = loaded["rss"] - floor["rss"]
    print(f"{'':28}{'start-up s':>12}{'RSS MB':>10}{'peak MB':>10}")
    for name, f in (("floor (empty database)", floor), (f"{args.schedules:,} schedules", loaded),
                    ("after a 3-day outage", outage)):  # fmt: skip
        print(f"{name:28}{f['total']:12.3f}{f['rss']:10.1f}{f['peak']:10.1f}")
    print(f"extra over the floor: {extra_s:.3f} s (goal < {GOAL_SECONDS:g}), "
          f"{extra_mb:.1f} MB RSS (goal < {GOAL_MB:g}), peak {loaded['peak'] - floor['peak']:.1f} MB")  # fmt: skip
    print(f"after the outage: {outage['total'] - floor['total']:.3f} s extra, "
          f"{outage['peak'] - floor['peak']:.1f} MB peak extra; {int(outage['handed']):,} posts "
          f"still within the grace window handed to the sender, the rest skipped; overdue rows "
          f"left: {int(outage['left_overdue'])}")  # fmt: skip
    ok = extra_s < GOAL_SECONDS and extra_mb < GOAL_MB and outage["left_overdue"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
