"""What a member asks about their own data, on a database a year old, as their servers grow.

    .venv/bin/python -m bench.personal_data [--servers 10 100 1000] [--repeats 200] [--quick]

The real MutualBot's services (set up as `setup_hook` sets them up, not logged in) on a
database filled by `bench._yearold`: 1,000 servers with a year of self-check counts (about
1,000,000 rows), other members' history and questions, and one member with 500 saved results
and anonymous-question data in 10, 100 or 1,000 of the servers. Timed, each `--repeats` times:

- `/mydata show`: every feature's description of what it keeps (`personal_data.describe`);
- `/mydata delete`: every feature deleting it (`personal_data.delete`); the member's deletable
  rows are put back, untimed, before each repeat;
- history: the member's trends over 500 results;
- insights: one server's last four weeks of counts.

The reference in the same run is the cheapest trip to the database (`SELECT 1`), so the
figures can be read against what this machine gives at that moment. Goals: `/mydata` show and
delete p99 < 30 ms and flat in the number of servers (p99 at the most servers at most twice
that at the fewest), history and insights p99 < 10 ms. This measures the bot's own work, from
the service call to its answer; through Discord a reply adds the same few ms to every call.

`--quick` runs 10 and 100 servers with a month of counts and 20 repeats, for CI.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench._common import Figures, bench_settings, quiet_logging, shipped_content, table, verdict
from bench._yearold import fill, servers
from bot.clock import FakeClock
from bot.memory import freeze_startup_objects

MEMBER = 4_242_424_242
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
GOAL_MYDATA_MS = 30.0
GOAL_READ_MS = 10.0
FLAT = 2.0  # p99 at the most servers over p99 at the fewest


async def measure(folder: Path, repeats: int) -> dict[str, Figures]:
    from bot.app import MutualBot

    bot = MutualBot(bench_settings(folder), clock=FakeClock(NOW), content=shipped_content(),
                    start_timers=False)  # fmt: skip
    await bot.setup_hook()
    freeze_startup_objects()  # as `python -m bot run` does once setup_hook has run
    try:
        feature = bot.selfcheck
        assert feature is not None
        deletable = snapshot(folder / "bench.db")
        guild = servers(1)[0]

        async def put_back() -> None:
            # The rows put back are the benchmark's own writes: they are checkpointed here,
            # untimed, so the next delete neither copies them nor runs beside a checkpoint
            # they started.
            await restore(bot.db, deletable)
            await settle(bot.db)

        async def delete() -> None:
            if not await bot.personal_data.delete(MEMBER):
                raise RuntimeError("/mydata delete found nothing to delete")

        calls: dict[
            str, tuple[Callable[[], Awaitable[Any]], Callable[[], Awaitable[None]] | None]
        ] = {
            "SELECT 1 (reference)": (lambda: bot.db.fetchval("SELECT 1"), None),
            "/mydata show": (lambda: bot.personal_data.describe(MEMBER), None),
            "history (500 results)": (lambda: feature.history.trends(MEMBER), None),
            "insights (4 weeks)": (lambda: feature.insights.weekly(guild, NOW.date()), None),
            "/mydata delete": (delete, put_back),
        }
        found: dict[str, Figures] = {}
        for name, (call, before) in calls.items():
            await call()  # warm the page cache as a running bot's would be
            latencies: list[float] = []
            started = time.perf_counter()
            for _ in range(repeats):
                if before is not None:
                    await before()
                t0 = time.perf_counter()
                await call()
                latencies.append(time.perf_counter() - t0)
            found[name] = Figures(name, len(latencies), time.perf_counter() - started, latencies)
        return found
    finally:
        await bot.close()


Snapshot = dict[str, tuple[list[str], list[tuple[Any, ...]]]]
MEMBER_TABLES = {
    "selfcheck_history": "member_key = ?",
    "discussion_questions": "status = 'pending' AND block_key = ?",
}


def snapshot(path: Path) -> Snapshot:
    """The member's deletable rows, to put back between deletes (found by their keys)."""
    from bot.services.discussions.questions import block_scope
    from bot.services.privacy import KeyedHasher
    from bot.services.selfcheck.history import HISTORY_SCOPE

    hasher = KeyedHasher(bench_settings(path.parent).secret)
    conn = sqlite3.connect(path)
    try:
        out: Snapshot = {}
        history = conn.execute(
            "SELECT * FROM selfcheck_history WHERE member_key = ?",
            (hasher.key(HISTORY_SCOPE, MEMBER),),
        )
        out["selfcheck_history"] = ([d[0] for d in history.description], history.fetchall())
        rows: list[tuple[Any, ...]] = []
        columns: list[str] = []
        for (guild,) in conn.execute("SELECT DISTINCT guild_id FROM discussion_questions"):
            cursor = conn.execute(
                "SELECT * FROM discussion_questions WHERE guild_id = ? AND block_key = ? "
                "AND status = 'pending'",
                (guild, hasher.key(block_scope(guild), MEMBER)),
            )
            columns = [d[0] for d in cursor.description]
            rows += cursor.fetchall()
        out["discussion_questions"] = (columns, rows)
        return out
    finally:
        conn.close()


async def restore(db: Any, rows: Snapshot) -> None:
    async with db.transaction() as tx:
        for table_name, (columns, values) in rows.items():
            if values:
                marks = ", ".join("?" * len(columns))
                await tx.executemany(
                    f"INSERT OR IGNORE INTO {table_name} ({', '.join(columns)}) VALUES ({marks})",
                    values,
                )


async def settle(db: Any) -> None:
    """Wait for a background checkpoint to end, then checkpoint what is left in the log."""
    running = db._checkpointing
    if running is not None:
        await running
    await db.checkpoint()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="10 and 100 servers, small, for CI")
    args = parser.parse_args()
    days, total = 365, 1000
    if args.quick:
        args.servers, args.repeats, days, total = [10, 100], 20, 30, 100
    quiet_logging()
    content = shipped_content()
    dimensions = {i.id: [d.id for d in i.dimensions] for i in content.instruments.values()}
    results: dict[int, dict[str, Figures]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="mutual-personal-"))
    try:
        for count in sorted(set(args.servers)):
            folder = tmp / str(count)
            folder.mkdir()
            t0 = time.perf_counter()
            sizes = fill(
                folder / "bench.db", bench_settings(folder).secret, dimensions,
                today=NOW.date(), guilds=servers(max(total, count)), members=[MEMBER],
                question_servers=count, days=days,
            )  # fmt: skip
            print(f"{count:,} servers of the member's data: built {sizes} in "
                  f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
            results[count] = asyncio.run(measure(folder, args.repeats))
            shutil.rmtree(folder, ignore_errors=True)
    except Exception as error:  # a call that failed: nothing to compare
        return verdict([f"{type(error).__name__}: {error}"], [])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    counts = sorted(results)
    names = list(results[counts[0]])
    headers = ["call", *(f"{c:,} servers: p50 / p99 ms" for c in counts)]
    rows = [[name, *(f"{results[c][name].p50:.2f} / {results[c][name].p99:.2f}" for c in counts)]
            for name in names]  # fmt: skip
    print(f"{args.repeats} calls each; the member has 500 saved results and question data in "
          "the given number of servers, among 1,000 servers a year old")  # fmt: skip
    print(table(headers, rows))
    missed = []
    for name in names[1:]:
        goal = GOAL_MYDATA_MS if name.startswith("/mydata") else GOAL_READ_MS
        worst = max(results[c][name].p99 for c in counts)
        if worst >= goal:
            missed.append(f"{name} p99 {worst:.1f} ms (goal < {goal:g})")
        if name.startswith("/mydata") and len(counts) > 1:
            growth = results[counts[-1]][name].p99 / max(results[counts[0]][name].p99, 1e-6)
            print(f"{name}: p99 at {counts[-1]:,} servers / at {counts[0]:,}: {growth:.2f} "
                  f"(flat: at most {FLAT:g})")  # fmt: skip
            if growth > FLAT:
                missed.append(
                    f"{name} grows {growth:.1f}x from {counts[0]} to {counts[-1]} servers"
                )
    return verdict([], missed)


if __name__ == "__main__":
    raise SystemExit(main())
