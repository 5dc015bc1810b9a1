"""Discord refusing, failing or out of reach at login: retried when it may pass, one line after."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from standin.demo import build_demo
from standin.server import StandIn

# The real command line with short pauses between login attempts, so the test takes seconds.
FAST_LOGIN = (
    "import sys, bot.connecting as c; c.LOGIN_PAUSES = (0.05,) * 5; "
    "from bot.__main__ import main; raise SystemExit(main(sys.argv[1:]))"
)


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = StandIn(build_demo())
    await server.start()
    yield server
    await server.stop()


async def cli(cwd: Path, *args: str, **env: str) -> tuple[int, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MUTUAL_", "DISCORD_"))}
    full.update(PYTHONPATH=str(PROJECT_ROOT), MUTUAL_LOG_LEVEL="WARNING", **env)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", FAST_LOGIN, *args, cwd=cwd, env=full,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return int(process.returncode or 0), (out + err).decode()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def error_lines(output: str) -> list[str]:
    assert "Traceback" not in output, output
    return [line for line in output.splitlines() if "ERROR" in line]


async def test_sync_with_a_refused_token_ends_in_one_line(standin: StandIn, tmp_path: Path) -> None:
    code, output = await cli(
        tmp_path, "sync", DISCORD_TOKEN="not-the-token", MUTUAL_API_BASE=standin.url
    )
    assert code == 1
    [line] = error_lines(output)
    assert "Discord refused the token" in line


async def test_discord_out_of_reach_is_retried_then_one_line(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    for command in ("sync", "run"):
        code, output = await cli(tmp_path, command, DISCORD_TOKEN="t", MUTUAL_API_BASE=base)
        assert code == 1, output
        [line] = error_lines(output)
        assert "after 6 tries" in line and "cannot connect" in line, line


async def test_server_errors_at_login_are_retried_until_it_works(
    standin: StandIn, tmp_path: Path
) -> None:
    standin.inject_errors("GET /users/@me", count=3, status=503)
    standin.force_rate_limit("GET /users/@me", count=2, retry_after=0.05, is_global=True)
    code, output = await cli(
        tmp_path, "sync", DISCORD_TOKEN=standin.token, MUTUAL_API_BASE=standin.url
    )
    assert code == 0, output
    assert "Synced" in output
    logins = [r for r in standin.requests if r.path.endswith("/users/@me")]
    assert len(logins) >= 4


async def test_server_errors_at_login_that_never_stop_end_in_one_line(
    standin: StandIn, tmp_path: Path
) -> None:
    standin.inject_errors("GET /users/@me", count=50, status=503)
    code, output = await cli(
        tmp_path, "sync", DISCORD_TOKEN=standin.token, MUTUAL_API_BASE=standin.url
    )
    assert code == 1
    [line] = error_lines(output)
    assert "Discord answered 503" in line
