"""10,000 daily prompts due in the same minute, delivered through the Discord stand-in.

    .venv/bin/python -m bench.prompts_fanout [--guilds 10000] [--ceiling 300] [--no-thread]

The real bot runs as a subprocess (`python -m bot run`, real time, a temporary database) against
the stand-in served from this process, so the two do not share one core. The stand-in's global
limit is raised for the benchmark and the bot's pacer (MUTUAL_SEND_RATE, requests per second) is
set to match, keeping production's 45/50 headroom. Every schedule is due at the same instant a
few seconds after start-up. Figures, all observed at the stand-in:

- delivery rate: requests per second from the first post to the last, as a ratio of the
  configured ceiling (goal >= 0.9); also posts per second;
- 429 answers (goal 0) and duplicates, servers with more than one post (goal 0);
- the first post's delay after the due instant, and the last post's.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.db import Database
from bot.sandbox.demo import build_many_guilds
from bot.sandbox.server import StandIn
from bot.sandbox.state import Channel, World

HEADROOM = 45 / 50
START_UP = 6.0  # seconds from launching the bot to the due instant


def by_channel(world: World, channels: dict[int, Channel]) -> dict[int, list[float]]:
    """Creation times of the posts in each server's prompt channel, in one pass."""
    wanted = {ch.id for ch in channels.values()}
    found: dict[int, list[float]] = {}
    for message in list(world.messages.values()):
        if message.channel_id in wanted and not message.deleted:
            found.setdefault(message.channel_id, []).append(message.created_at)
    return found


async def seed(path: Path, channels: dict[int, Channel], due: int, thread: bool) -> None:
    db = await Database.open(path)
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


async def run(guilds: int, ceiling: float, thread: bool) -> int:
    world, channels = build_many_guilds(guilds)
    standin = StandIn(world, global_limit=math.ceil(ceiling / HEADROOM))
    await standin.start()
    tmp = Path(tempfile.mkdtemp(prefix="mutual-fanout-"))
    due = int(time.time() + START_UP)
    await seed(tmp / "mutual.db", channels, due, thread)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=standin.token,
        MUTUAL_API_BASE=standin.url,
        MUTUAL_DATABASE=str(tmp / "mutual.db"),
        MUTUAL_SECRET="benchmark-secret-0123456789",
        MUTUAL_SEND_RATE=str(ceiling),
        MUTUAL_SEND_CONCURRENCY="16",
        MUTUAL_LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    profile = os.environ.get("FANOUT_PROFILE")
    command = (
        ["-m", "cProfile", "-o", profile, "-m", "bot", "run"] if profile else ["-m", "bot", "run"]
    )
    bot = await asyncio.create_subprocess_exec(
        sys.executable, *command, env=env, cwd=tmp, stderr=asyncio.subprocess.PIPE
    )
    try:
        deadline = time.time() + START_UP + guilds / (ceiling / (2 if thread else 1)) * 2 + 60
        while len(by_channel(world, channels)) < guilds:
            if bot.returncode is not None or time.time() > deadline:
                err = (await bot.stderr.read()).decode() if bot.stderr else ""
                print(f"the bot stopped or stalled:\n{err[-3000:]}")
                return 1
            await asyncio.sleep(0.25)
        await asyncio.sleep(1.0)  # late duplicates would show up now
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), 10)
        except TimeoutError:
            bot.kill()
        await standin.stop()

    found = by_channel(world, channels)
    posts = sorted(min(times) for times in found.values())
    requests = [r for r in standin.requests if r.route.startswith("/channels/")]
    limited = sum(1 for r in standin.requests if r.status == 429)
    duplicates = sum(1 for times in found.values() if len(times) > 1)
    span = posts[-1] - posts[0]
    post_rate = (len(posts) - 1) / span if span else float("inf")
    request_rate = (len(requests) - 1) / span if span else float("inf")
    ratio = request_rate / ceiling
    print(f"guilds            {guilds:,} (thread per prompt: {'on' if thread else 'off'})")
    print(
        f"ceiling           {ceiling:g} requests/s (stand-in global limit {standin.limiter.global_limit}/s)"
    )
    print(
        f"delivered         {len(posts):,} posts, {len(requests):,} channel requests in {span:.1f} s"
    )
    print(f"rate              {post_rate:.1f} posts/s, {request_rate:.1f} requests/s")
    print(f"ratio to ceiling  {ratio:.2f}   (goal >= 0.9)")
    print(f"429 answers       {limited}   (goal 0)")
    print(f"duplicates        {duplicates}   (goal 0)")
    print(
        f"first post delay  {posts[0] - due:.2f} s after the due instant; last {posts[-1] - due:.1f} s"
    )
    print(f"stand-in failures {len(standin.failures)}")
    ok = ratio >= 0.9 and limited == 0 and duplicates == 0 and not standin.failures
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--ceiling", type=float, default=300.0, help="pacer, requests per second")
    parser.add_argument("--no-thread", action="store_true", help="one request per post")
    args = parser.parse_args()
    return asyncio.run(run(args.guilds, args.ceiling, not args.no_thread))


if __name__ == "__main__":
    raise SystemExit(main())
