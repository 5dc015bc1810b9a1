"""10,000 daily prompts due in the same minute, delivered through the Discord stand-in.

    .venv/bin/python -m bench.prompts_fanout [--guilds 10000] [--ceiling 300] [--no-thread]
        [--faults off|on|both] [--quick] [--processes N] [--database sqlite|postgresql]

The real bot runs as a subprocess (`python -m bot run`, real time, a temporary database) against
the stand-in served from this process, so the two do not share one core. The stand-in's global
limit is raised for the benchmark and the bot's pacer (MUTUAL_SEND_RATE, requests per second) is
set to match, keeping production's 45/50 headroom. Every schedule is due at the same instant a
few seconds after start-up. Figures, all observed at the stand-in:

- delivery rate: posts delivered per second from the first to the last, as a ratio of what the
  stand-in allows (its global limit over the requests each post takes; goal >= 0.85: the pacer's
  45/50 headroom alone leaves 0.9);
- duplicates (servers with more than one post) and missed servers: both must be 0, or the run is
  broken;
- 429 and 5xx answers, and the first and last post's delay after the due instant.

With `--processes N`, N bot processes share the servers by shard (2 shards each, more when a
shard would hold over 2,000 servers; one shared database) and the ceiling by the static split: each process's MUTUAL_SEND_RATE is the ceiling
over N, so the sum stays under the one global limit; a 429 on the clean run would show it did
not, and every post is checked to come from the process owning its server's shard. The rate is
then also printed as a ratio of the ceiling the processes split (goal >= 0.9): what they lose to
each other and to the shared database, apart from the pacer's headroom.

`--database postgresql` seeds a PostgreSQL database of the run's own (created on the server the
tests use and dropped at the end, even when the run fails) and starts every process with
MUTUAL_DATABASE_URL, as processes on several machines would run; the default is one SQLite file.

By default it runs twice: clean (a 429 there means the pacer let too much through), and with
faults: 1% of requests answered with a route 429, a global 429 or a 500, in turn, so the retry,
nonce and re-check paths run under load. A global 429 stops every request for its Retry-After
(0.2 s), as Discord demands, so that run's goal is judged against the ceiling over the time the
stand-in allowed requests (the run's span less the union of those waits); the plain ratio is
printed beside it. `--quick` runs 300 servers with faults, for CI.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import _postgres
from bench._common import verdict
from bot.config import PROJECT_ROOT
from bot.db import open_storage
from standin.demo import build_many_guilds
from standin.server import StandIn
from standin.state import Channel, World

HEADROOM = 45 / 50
GOAL = 0.85  # of the stand-in's ceiling; the pacer's headroom alone leaves 0.9
FAULT_WAIT = 0.2  # seconds: the Retry-After of an injected 429
# With several processes: of the one ceiling they split (the pacers' combined rate), so what the
# processes lose to each other (claims, the shared database) shows apart from the headroom.
GOAL_SHARED = 0.9
FAULTS = 0.01
START_UP = 6.0  # seconds from launching the bot to the due instant
SERVERS_PER_SHARD = 2_000  # under Discord's 2,500, with room for an uneven spread


def by_channel(world: World, channels: dict[int, Channel]) -> dict[int, list[float]]:
    """Creation times of the posts in each server's prompt channel, in one pass."""
    wanted = {ch.id for ch in channels.values()}
    found: dict[int, list[float]] = {}
    for message in list(world.messages.values()):
        if message.channel_id in wanted and not message.deleted:
            found.setdefault(message.channel_id, []).append(message.created_at.timestamp())
    return found


async def seed(
    path: Path, url: str | None, channels: dict[int, Channel], due: int, thread: bool
) -> None:
    db = await open_storage(path, url)
    await db.migrate()
    at = time.strftime("%H:%M", time.gmtime(due))
    day = time.strftime("%Y-%m-%d", time.gmtime(due))
    await db.executemany(
        """INSERT INTO prompt_schedules (guild_id, channel_id, local_time, timezone, use_thread,
                                         next_run_utc, next_local_date)
           VALUES (?, ?, ?, 'UTC', ?, ?, ?)""",
        [(gid, ch.id, at, int(thread), due, day) for gid, ch in channels.items()],
    )
    await db.close()


def with_faults(standin: StandIn, share: float, rng: random.Random) -> list[float]:
    """Answer `share` of the requests (not interaction answers) with a route 429, a global 429
    or a 500, in turn, before the stand-in's own limits are even asked. Returns the list the
    times of the global 429s are put in: while one's wait runs, Discord allows no request at all."""
    check = standin.limiter.check
    kinds = itertools.cycle(("route", "global", "5xx"))
    global_at: list[float] = []

    def chaotic(method: str, template: str, params: dict[str, str]) -> Any:
        if not template.startswith(("/interactions/", "/webhooks/")) and rng.random() < share:
            route = f"{method.upper()} {template}"
            kind = next(kinds)
            if kind == "5xx":
                standin.inject_errors(route, 1, 500)
            else:
                if kind == "global":
                    global_at.append(time.time())
                standin.force_rate_limit(
                    route, 1, retry_after=FAULT_WAIT, is_global=kind == "global"
                )
        return check(method, template, params)

    standin.limiter.check = chaotic  # type: ignore[method-assign]
    return global_at


def imposed_waits(starts: list[float], wait: float, since: float, until: float) -> float:
    """Seconds within [since, until] covered by at least one global wait (overlaps once)."""
    covered, reach = 0.0, since
    for start in sorted(starts):
        begin, end = max(start, reach), min(start + wait, until)
        if end > begin:
            covered += end - begin
            reach = end
    return covered


async def run(
    guilds: int,
    ceiling: float,
    thread: bool,
    faults: float,
    processes: int = 1,
    database: str = "sqlite",
) -> Outcome:
    """One run on a SQLite file, or on a PostgreSQL database of its own dropped at the end."""
    if database == "sqlite":
        return await run_on(None, guilds, ceiling, thread, faults, processes)
    try:
        async with _postgres.database() as url:
            return await run_on(url, guilds, ceiling, thread, faults, processes)
    except _postgres.PostgresUnreachable as error:
        return Outcome(0.0, [str(error)])


async def run_on(
    url: str | None, guilds: int, ceiling: float, thread: bool, faults: float, processes: int
) -> Outcome:
    world, channels = build_many_guilds(guilds, years_apart=processes > 1)
    standin = StandIn(world, global_limit=math.ceil(ceiling / HEADROOM), max_concurrency=16)
    global_at = with_faults(standin, faults, random.Random(13)) if faults else []
    await standin.start()
    tmp = Path(tempfile.mkdtemp(prefix="mutual-fanout-"))
    due = int(time.time() + START_UP)
    await seed(tmp / "mutual.db", url, channels, due, thread)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=standin.token,
        MUTUAL_DATABASE=str(tmp / "mutual.db"),
        **({"MUTUAL_DATABASE_URL": url} if url else {}),
        MUTUAL_SECRET="benchmark-secret-0123456789",
        # The static split: each process's share of the one ceiling.
        MUTUAL_SEND_RATE=str(ceiling / processes),
        MUTUAL_SEND_CONCURRENCY="16",
        MUTUAL_LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    profile = os.environ.get("FANOUT_PROFILE")
    command = (
        ["-m", "cProfile", "-o", profile, "-m", "bot", "run"] if profile else ["-m", "bot", "run"]
    )
    ports: list[int] = []
    bots: list[asyncio.subprocess.Process] = []
    # Shards per process: 2, or as many more as keep each under Discord's 2,500 servers; a power
    # of two, since the stand-in dates its servers so they spread evenly over such counts.
    per = 2
    while guilds / (per * processes) > SERVERS_PER_SHARD:
        per *= 2
    for number in range(processes):
        base = standin.url if processes == 1 else await standin.open_port()
        ports.append(int(base.rsplit(":", 1)[1]))
        own = dict(env, MUTUAL_API_BASE=base)
        if processes > 1:
            own.update(
                MUTUAL_SHARD_COUNT=str(per * processes),
                MUTUAL_SHARDS=f"{per * number}-{per * number + per - 1}",
            )
        bots.append(
            await asyncio.create_subprocess_exec(
                sys.executable, *command, env=own, cwd=tmp, stderr=asyncio.subprocess.PIPE
            )
        )
    try:
        deadline = time.time() + START_UP + guilds / (ceiling / (2 if thread else 1)) * 2 + 60
        while len(by_channel(world, channels)) < guilds:
            stopped = next((b for b in bots if b.returncode is not None), None)
            if stopped is not None or time.time() > deadline:
                err = (await stopped.stderr.read()).decode() if stopped and stopped.stderr else ""
                print(f"the bot stopped or stalled:\n{err[-3000:]}")
                missing = guilds - len(by_channel(world, channels))
                return Outcome(0.0, [f"the bot stopped or stalled with {missing} posts missing"])
            await asyncio.sleep(0.25)
        await asyncio.sleep(1.0)  # late duplicates would show up now
    finally:
        for bot in bots:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
        for bot in bots:
            try:
                await asyncio.wait_for(bot.wait(), 10)
            except TimeoutError:
                bot.kill()
        await standin.stop()

    found = by_channel(world, channels)
    posts = sorted(min(times) for times in found.values())
    requests = [r for r in standin.requests if r.route.startswith("/channels/")]
    limited = sum(1 for r in standin.requests if r.status == 429)
    errors = sum(1 for r in standin.requests if r.status >= 500)
    duplicates = sum(1 for times in found.values() if len(times) > 1)
    span = posts[-1] - posts[0]
    post_rate = (len(posts) - 1) / span if span else float("inf")
    # What the stand-in allows, in posts: its global limit over the requests a post takes.
    per_post = 2 if thread else 1
    allowed = standin.limiter.global_limit / per_post
    ratio = post_rate / allowed
    # A global 429 stops every request for its wait, as Discord demands: the stand-in allowed
    # nothing then, so with faults the goal is judged against the ceiling less those seconds.
    waited = imposed_waits(global_at, FAULT_WAIT, posts[0], posts[-1])
    net = ratio * span / (span - waited) if span > waited else ratio
    print(f"database          {'PostgreSQL (one database shared by every process)' if url else 'SQLite (one file)'}")  # fmt: skip
    print(f"guilds            {guilds:,} (thread per prompt: {'on' if thread else 'off'}; "
          f"faults injected: {faults:.0%} of requests)")  # fmt: skip
    print(f"ceiling           {allowed:g} posts/s: the stand-in's global limit of "
          f"{standin.limiter.global_limit}/s over {per_post} request(s) a post; the bot's pacer "
          f"is set to {ceiling:g} requests/s, {HEADROOM:.0%} of that")  # fmt: skip
    print(
        f"delivered         {len(posts):,} posts, {len(requests):,} channel requests in {span:.1f} s"
    )
    print(f"rate              {post_rate:.1f} posts/s delivered")
    if faults:
        print(f"ratio to ceiling  {ratio:.2f}   ({len(global_at)} global 429s held every request "
              f"back for {waited:.1f} s in all)")  # fmt: skip
        print(f"  net of waits    {net:.2f}   (to the ceiling over the {span - waited:.1f} s the "
              f"stand-in allowed requests; goal >= {GOAL})")  # fmt: skip
    else:
        print(f"ratio to ceiling  {ratio:.2f}   (goal >= {GOAL})")
    shared = post_rate / (ceiling / per_post)
    if processes > 1:
        print(f"ratio to the split ceiling {shared:.2f}   (of the {ceiling:g} requests/s the "
              f"{processes} pacers share; goal >= {GOAL_SHARED})")  # fmt: skip
    print(f"429 / 5xx answers {limited} / {errors}   (injected ones included)")
    print(f"duplicates        {duplicates}   (must be 0)")
    print(f"missed            {guilds - len(posts)}   (must be 0)")
    print(f"first post delay  {posts[0] - due:.2f} s after the due instant; last {posts[-1] - due:.1f} s")  # fmt: skip
    print(f"stand-in failures {len(standin.failures)}")
    broken, missed = [], []
    if processes > 1:
        guild_of = {ch.id: gid for gid, ch in channels.items()}
        owner = {gid: ports[((gid >> 22) % (per * processes)) // per] for gid in channels}
        strays = sum(
            1
            for r in standin.requests
            if r.method == "POST" and r.path.startswith("/channels/") and r.status < 400
            and (gid := guild_of.get(int(r.path.split("/")[2]))) is not None
            and r.port != owner[gid]
        )  # fmt: skip
        print(f"processes         {processes}, {per * processes} shards; each paced at "
              f"{ceiling / processes:g} requests/s; posts from a process not owning the "
              f"server's shard: {strays}")  # fmt: skip
        if strays:
            broken.append(f"{strays} posts from a process not owning the server's shard")
    if duplicates:
        broken.append(f"{duplicates} servers got their prompt twice")
    if len(posts) < guilds:
        broken.append(f"{guilds - len(posts)} servers got no prompt")
    if standin.failures:
        broken.append(f"{len(standin.failures)} stand-in failures")
    if net < GOAL:
        missed.append(f"{net:.2f} of the ceiling" + (" net of the global waits" if faults else ""))
    if processes > 1 and shared < GOAL_SHARED:
        missed.append(f"{shared:.2f} of the split ceiling")
    if limited and not faults:
        missed.append(f"{limited} 429s without injected faults: the pacers let too much through")
    return Outcome(ratio, broken, missed)


@dataclass
class Outcome:
    ratio: float
    broken: list[str]
    missed: list[str] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--ceiling", type=float, default=300.0, help="pacer, requests per second")
    parser.add_argument("--no-thread", action="store_true", help="one request per post")
    parser.add_argument(
        "--faults", choices=["off", "on", "both"], default="both",
        help=f"inject route and global 429s and 500s into {FAULTS:.0%} of requests",
    )  # fmt: skip
    parser.add_argument(
        "--quick", action="store_true", help="300 servers, with faults only, for CI"
    )
    parser.add_argument(
        "--processes", type=int, default=1,
        help="bot processes sharing the servers by shard and the ceiling by a static split",
    )  # fmt: skip
    parser.add_argument(
        "--database", choices=_postgres.DATABASES, default="sqlite",
        help="where the processes keep their data: one SQLite file, or a PostgreSQL database "
        "of the run's own (created and dropped by the run)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.guilds, args.faults = 300, "on"
    broken: list[str] = []
    missed: list[str] = []
    for faults in {"off": [0.0], "on": [FAULTS], "both": [0.0, FAULTS]}[args.faults]:
        thread = not args.no_thread
        outcome = asyncio.run(
            run(args.guilds, args.ceiling, thread, faults, args.processes, args.database)
        )
        label = "with faults" if faults else "clean"
        broken += [f"{label}: {b}" for b in outcome.broken]
        missed += [f"{label}: {m}" for m in outcome.missed]
        print()
    return verdict(broken, missed)


if __name__ == "__main__":
    raise SystemExit(main())
