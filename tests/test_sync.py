"""`python -m bot sync` publishes the command tree, globally or to one server, and only then."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from standin.demo import build_demo
from standin.server import StandIn


async def run_sync(standin: StandIn, tmp_path: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=standin.token,
        MUTUAL_API_BASE=standin.url,
        MUTUAL_DATABASE=str(tmp_path / "mutual.db"),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", *args, env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


async def test_sync_to_one_guild_then_globally(tmp_path: Path) -> None:
    world = build_demo()
    standin = StandIn(world)
    await standin.start()
    try:
        guild = next(iter(world.guilds.values()))
        code, output = await run_sync(standin, tmp_path, "--guild", str(guild.id))
        assert code == 0, output
        names = {command["name"] for command in world.guild_commands.get(guild.id, [])}
        assert {"about", "selfcheck", "prompts", "learn", "discuss", "config"} <= names
        assert world.global_commands == []
        assert f"to server {guild.id}" in output

        code, output = await run_sync(standin, tmp_path)
        assert code == 0, output
        assert {command["name"] for command in world.global_commands} == names
        assert not standin.failures, standin.failures
    finally:
        await standin.stop()
