"""`python -m bot doctor` against the Discord stand-in: each problem is named, with what to do."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.db import Database
from bot.db import settings as settings_repo
from standin.demo import build_demo
from standin.permissions import Perm
from standin.server import StandIn
from tests.test_sync import run_sync


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    running = StandIn(build_demo())
    await running.start()
    yield running
    await running.stop()


async def doctor(
    standin: StandIn, tmp_path: Path, token: str | None = None, **extra: str
) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(extra)
    env.update(
        DISCORD_TOKEN=token or standin.token,
        MUTUAL_API_BASE=standin.url,
        MUTUAL_DATABASE=str(tmp_path / "mutual.db"),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "doctor", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 90)
    return process.returncode or 0, output.decode()


async def review_queue_in_mod_log(standin: StandIn, tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "mutual.db")
    try:
        await db.migrate()
        guild = next(iter(standin.world.guilds.values()))
        channel = standin.world.channel_named("mod-log")
        await settings_repo.update_settings(db, guild.id, log_channel_id=channel.id)
    finally:
        await db.close()


async def test_a_refused_token_is_named(standin: StandIn, tmp_path: Path) -> None:
    code, output = await doctor(standin, tmp_path, token="not-the-token")
    assert code == 1, output
    assert "[FAIL] Token: Discord refused the token" in output
    assert "[ ok ] Content:" in output and "[ ok ] Time zones:" in output


async def test_stale_commands_and_a_missing_permission_are_named(
    standin: StandIn, tmp_path: Path
) -> None:
    await review_queue_in_mod_log(standin, tmp_path)
    bot_name = standin.world.bot.username
    standin.set_overwrite("mod-log", bot_name, deny=int(Perm.SEND_MESSAGES | Perm.EMBED_LINKS))
    code, output = await doctor(standin, tmp_path)
    assert code == 1, output
    assert "[ ok ] Token: accepted" in output
    assert "[FAIL] Commands: not published: /about" in output
    assert "Run `python -m bot sync`" in output
    assert "#mod-log (review queue) is missing: Send Messages, Embed Links" in output
    assert "[ ok ] Database: SQLite " in output
    assert "intact (quick_check), schema" in output


async def test_all_in_place_then_a_changed_command(standin: StandIn, tmp_path: Path) -> None:
    await review_queue_in_mod_log(standin, tmp_path)
    code, output = await run_sync(standin, tmp_path)
    assert code == 0, output
    code, output = await doctor(standin, tmp_path)
    assert code == 0, output
    assert "[ ok ] Commands: the" in output and "All checks passed." in output
    assert "[ ok ] Permissions: all in place in the 1 configured channel(s)" in output

    about = next(c for c in standin.world.global_commands if c["name"] == "about")
    about["description"] = "An older description"
    code, output = await doctor(standin, tmp_path)
    assert code == 1 and "changed since publishing: /about" in output, output


async def test_shards_their_states_and_the_rate_budget_are_shown(
    standin: StandIn, tmp_path: Path
) -> None:
    await run_sync(standin, tmp_path)
    code, output = await doctor(
        standin, tmp_path, MUTUAL_SHARD_COUNT="4", MUTUAL_SHARDS="1,2", MUTUAL_SEND_RATE="30"
    )
    assert "[warn] Shards: 1-2 of 4 (MUTUAL_SHARDS); sending at most 30 request(s)/s" in output
    assert "must add up to less (about 60/s if every process" in output
    assert "[ ok ] Shards: 2 of 4: shard 1: connected" in output and "shard 2: connected" in output
    assert code == 0, output
