"""`python -m bot run` against the stand-in: starts, and stops cleanly on SIGTERM and SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from standin.demo import build_demo
from standin.server import StandIn


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_signal_stops_the_bot_cleanly(tmp_path: Path, signum: signal.Signals) -> None:
    standin = StandIn(build_demo())
    await standin.start()
    database = tmp_path / "mutual.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=standin.token,
        MUTUAL_API_BASE=standin.url,
        MUTUAL_DATABASE=str(database),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        end = time.monotonic() + 30
        while not standin.gateway.ready.is_set():
            assert process.returncode is None, "the bot exited before connecting"
            assert time.monotonic() < end, "the bot did not connect in time"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        process.send_signal(signum)
        code = await asyncio.wait_for(process.wait(), 20)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
    finally:
        if process.returncode is None:
            process.kill()
        await standin.stop()
    assert code == 0, stderr[-2000:]
    assert "Shut down cleanly" in stderr
    assert "Traceback" not in stderr
    # The database was closed properly: the WAL was checkpointed and the schema is intact.
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    finally:
        conn.close()
