"""Two real `python -m bot run` processes, two shards each, one stand-in, one shared database:
every server due in the same minute, one process killed with SIGKILL mid fan-out and started
again. Exactly one post per server, and every request posting in a server came from the process
that owns the server's shard (each process reaches the stand-in on its own port).

The number of servers is a parameter (MUTUAL_E2E_SHARDED_GUILDS, 1,000 by default); the
test runs on a shared SQLite file and on PostgreSQL (tests/e2e/shared_database.py). Neither
process is given MUTUAL_SEND_RATE: each sends at its share of the token's budget (45/s x 2 of
4 shards), and the stand-in holds them to Discord's global 50/s.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.db.shards import shard_of
from standin.demo import build_many_guilds
from standin.server import StandIn
from standin.state import Channel
from tests.e2e.shared_database import SharedDatabase

GUILDS = int(os.environ.get("MUTUAL_E2E_SHARDED_GUILDS", "1000"))
SHARD_COUNT = 4
PROCESSES = {"A": "0-1", "B": "2-3"}
OWNS = {"A": (0, 1), "B": (2, 3)}
KILL_AFTER = max(10, GUILDS // 20)  # posts of A's servers out before A is killed


@pytest.fixture
async def standin() -> AsyncIterator[tuple[StandIn, dict[int, Channel]]]:
    world, channels = build_many_guilds(GUILDS, years_apart=True)
    server = StandIn(world, global_limit=50, max_concurrency=2)
    await server.start()
    yield server, channels
    await server.stop()


async def seed(database: SharedDatabase, channels: dict[int, Channel]) -> None:
    """Every schedule due a second ago, with no thread, so each post is one request."""
    db = await database.open()
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


def bot_env(api_base: str, database: SharedDatabase, token: str, shards: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        database.env(),
        DISCORD_TOKEN=token,
        MUTUAL_API_BASE=api_base,
        MUTUAL_SECRET="sharded-kill-test-secret-0123",
        MUTUAL_SHARD_COUNT=str(SHARD_COUNT),
        MUTUAL_SHARDS=shards,
        PYTHONPATH=str(PROJECT_ROOT),
    )
    return env


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def wait_for(
    condition: Callable[[], bool], within: float, *processes: asyncio.subprocess.Process
) -> None:
    end = time.monotonic() + within
    while not condition():
        for process in processes:
            if process.returncode is not None:
                err = await process.stderr.read() if process.stderr else b""
                raise AssertionError(f"a bot process exited early: {err.decode()[-2000:]}")
        if time.monotonic() > end:
            raise TimeoutError("the bots did not get there in time")
        await asyncio.sleep(0.05)


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


def owner(guild_id: int) -> str:
    shard = shard_of(guild_id, SHARD_COUNT)
    return next(name for name, shards in OWNS.items() if shard in shards)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> SharedDatabase:
    """The processes share a SQLite file on one machine, or PostgreSQL as on several."""
    if request.param == "postgresql":
        return SharedDatabase(tmp_path, request.getfixturevalue("fresh_postgres_url"))
    return SharedDatabase(tmp_path)


async def test_two_sharded_processes_one_killed_mid_fan_out_post_once_per_server_each_its_own(
    standin: tuple[StandIn, dict[int, Channel]], database: SharedDatabase, tmp_path: Path
) -> None:
    server, channels = standin
    assert {owner(g) for g in channels} == {"A", "B"}
    await seed(database, channels)
    bases = {name: await server.open_port() for name in PROCESSES}
    ports = {name: int(base.rsplit(":", 1)[1]) for name, base in bases.items()}
    envs = {
        name: bot_env(bases[name], database, server.token, shards)
        for name, shards in PROCESSES.items()
    }
    a_servers = {g for g in channels if owner(g) == "A"}
    world, store = server.world, server.world.add_message
    created_on_a: list[int] = []

    first_a = await start_bot(envs["A"], tmp_path)
    b = await start_bot(envs["B"], tmp_path)

    def add_and_maybe_kill(*args: object, **kwargs: object) -> object:
        message = store(*args, **kwargs)  # type: ignore[arg-type]
        if message.guild_id in a_servers:
            created_on_a.append(message.id)
            if len(created_on_a) == KILL_AFTER and first_a.returncode is None:
                os.kill(first_a.pid, signal.SIGKILL)
        return message

    world.add_message = add_and_maybe_kill  # type: ignore[method-assign]
    second_a: asyncio.subprocess.Process | None = None
    try:
        await wait_for(lambda: len(created_on_a) >= KILL_AFTER, 60, first_a, b)
        await first_a.wait()
        world.add_message = store  # type: ignore[method-assign]
        done_on_a = sum(1 for g in a_servers if world.messages_in(channels[g]))
        assert done_on_a < len(a_servers), "the kill must land mid fan-out"

        second_a = await start_bot(envs["A"], tmp_path)
        await wait_for(
            lambda: all(world.messages_in(ch) for ch in channels.values()), 120, second_a, b
        )
        await asyncio.sleep(0.5)  # anything still in flight would show as a duplicate now
    finally:
        world.add_message = store  # type: ignore[method-assign]
        if first_a.returncode is None:
            first_a.kill()
            await first_a.wait()
        for process in (b, second_a):
            if process is not None:
                await stop(process)

    counts = {gid: len(world.messages_in(ch)) for gid, ch in channels.items()}
    assert {gid: n for gid, n in counts.items() if n != 1} == {}, "not exactly one post each"
    by_channel = {ch.id: gid for gid, ch in channels.items()}
    strays = [
        (record.path, record.port)
        for record in server.requests
        if record.method == "POST" and record.path.endswith("/messages")
        and record.port != ports[owner(by_channel[int(record.path.split("/")[2])])]
    ]  # fmt: skip
    assert strays == [], f"posts sent by a process not owning the server's shard: {strays[:5]}"
    assert server.failures == [], server.failures
    db = await database.open()
    try:
        rows = await db.fetchall("SELECT status, COUNT(*) FROM prompt_posts GROUP BY status")
        await db.check_integrity()  # two processes and a SIGKILL leave the file sound
    finally:
        await db.close()
    assert {row[0]: row[1] for row in rows} == {"sent": GUILDS}
