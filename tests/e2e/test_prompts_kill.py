"""The bot killed with SIGKILL in the middle of a fan-out, then restarted: one post per server.

The bot runs as a real subprocess (`python -m bot run`) against the stand-in served from this
test's process, on a temporary database, in real time: the schedules are made due "now" before
it starts. It is killed once part of the posts are out, and started again; the claims in the
database and the deterministic nonces (the stand-in honours enforce_nonce) must add up to exactly
one message in every server's channel.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.db import Database
from standin.demo import build_many_guilds
from standin.server import StandIn
from standin.state import Channel, World

GUILDS = 150
RATE = 30.0  # posts per second, so the fan-out lasts about five seconds
KILL_AFTER = 40  # posts out before the SIGKILL


async def seed(path: Path, channels: dict[int, Channel]) -> None:
    """Every schedule due a second ago, with no thread, so each post is one request."""
    db = await Database.open(path)
    await db.migrate()
    due = int(time.time()) - 1
    day = time.strftime("%Y-%m-%d", time.gmtime(due))
    await db.executemany(
        """INSERT INTO prompt_schedules (guild_id, channel_id, local_time, timezone, use_thread,
                                         next_run_utc, next_local_date)
           VALUES (?, ?, ?, 'UTC', 0, ?, ?)""",
        [(gid, ch.id, time.strftime("%H:%M", time.gmtime(due)), due, day)
         for gid, ch in channels.items()],
    )  # fmt: skip
    await db.close()


def bot_env(standin: StandIn, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=standin.token,
        MUTUAL_API_BASE=standin.url,
        MUTUAL_DATABASE=str(database),
        MUTUAL_SECRET="kill-test-secret-0123456789",
        MUTUAL_SEND_RATE=str(RATE),
        MUTUAL_LOG_LEVEL="WARNING",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    return env


@pytest.fixture
async def standin() -> AsyncIterator[tuple[StandIn, dict[int, Channel]]]:
    world, channels = build_many_guilds(GUILDS)
    server = StandIn(world, global_limit=50)
    await server.start()
    yield server, channels
    await server.stop()


def posted(world: World, channels: dict[int, Channel]) -> dict[int, int]:
    return {gid: len(world.messages_in(ch)) for gid, ch in channels.items()}


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def wait_for(condition: object, within: float, process: asyncio.subprocess.Process) -> None:
    end = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        if process.returncode is not None:
            err = await process.stderr.read() if process.stderr else b""
            raise AssertionError(f"the bot exited early: {err.decode()[-2000:]}")
        if time.monotonic() > end:
            raise TimeoutError("the bot did not get there in time")
        await asyncio.sleep(0.02)


async def test_sigkill_mid_fan_out_then_restart_posts_exactly_once_per_server(
    standin: tuple[StandIn, dict[int, Channel]], tmp_path: Path
) -> None:
    server, channels = standin
    database = tmp_path / "mutual.db"
    await seed(database, channels)
    env = bot_env(server, database)

    first = await start_bot(env, tmp_path)
    # The kill lands inside the stand-in's handler, after it stored a message and before the
    # bot hears back: that post is on Discord, but the bot never learned its id.
    world, store = server.world, server.world.add_message
    created: list[int] = []

    def add_and_maybe_kill(*args: object, **kwargs: object) -> object:
        message = store(*args, **kwargs)  # type: ignore[arg-type]
        created.append(message.id)
        if len(created) == KILL_AFTER and first.returncode is None:
            os.kill(first.pid, signal.SIGKILL)
        return message

    world.add_message = add_and_maybe_kill  # type: ignore[method-assign]
    try:
        await wait_for(lambda: len(created) >= KILL_AFTER, 30, first)
    finally:
        if first.returncode is None:
            first.send_signal(signal.SIGKILL)
        await first.wait()
        world.add_message = store  # type: ignore[method-assign]
    before = posted(server.world, channels)
    assert KILL_AFTER <= sum(before.values()) < GUILDS, "the kill must land mid fan-out"

    second = await start_bot(env, tmp_path)
    try:
        await wait_for(lambda: all(posted(server.world, channels).values()), 60, second)
        await asyncio.sleep(0.5)  # anything still in flight would show as a duplicate now
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(second.wait(), 10)
        except TimeoutError:
            second.kill()
            await second.wait()

    after = posted(server.world, channels)
    duplicates = {gid: n for gid, n in after.items() if n != 1}
    assert duplicates == {}, f"servers without exactly one post: {duplicates}"
    sends = [r for r in server.requests if r.method == "POST" and r.path.endswith("/messages")]
    # At least the post whose answer the kill cut off was sent twice and deduplicated by nonce.
    assert len(sends) > GUILDS
    assert server.failures == [], server.failures
    with sqlite3.connect(database) as conn:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM prompt_posts GROUP BY status"))
    assert statuses == {"sent": GUILDS}
