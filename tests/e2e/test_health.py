"""/healthz and /metrics: off by default, on 127.0.0.1 when a port is set, nothing about members."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.clock import FakeClock
from standin.harness import Sandbox
from tests.e2e.conftest import make_mutual, test_settings
from tests.e2e.helpers import bot_of


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def served(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[Sandbox, str]]:
    port = free_port()
    settings = test_settings(tmp_path, http_port=port)
    async with Sandbox(make_mutual(settings, clock)) as running:
        yield running, f"http://127.0.0.1:{port}"
        running.assert_no_failures()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def test_off_unless_a_port_is_set(sandbox: Sandbox) -> None:
    assert bot_of(sandbox).settings.http_port is None
    assert bot_of(sandbox)._health is None


async def test_healthz_is_200_while_everything_holds_and_503_naming_what_does_not(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, base = served
    bot = bot_of(sandbox)
    assert bot._health is not None and bot._health.host == "127.0.0.1"
    await bot.dispatcher.tick()
    status, body = await get(f"{base}/healthz")
    assert status == 200, body
    assert '"gateway_connected": {"0": true}' in body and '"database_reachable": true' in body
    assert '"shard_count": 1' in body and '"shards": {"0": {"connected": true' in body

    bot.dispatcher.last_tick = time.monotonic() - 3600  # the timer stopped an hour ago
    status, body = await get(f"{base}/healthz")
    assert status == 503 and '"dispatcher_last_tick_age_seconds": 3600' in body


async def test_metrics_count_commands_latency_and_429s_without_naming_anyone(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, base = served
    alice = sandbox.person("alice")
    await alice.slash("about")
    await alice.slash("about")
    await alice.slash("status")  # refused: not a moderator
    # A 429 on a REST call: discord.py waits and tries again, and the count goes up.
    sandbox.standin.force_rate_limit("GET /users/{}", retry_after=0.01)
    await bot_of(sandbox).fetch_user(bot_of(sandbox).user.id)  # type: ignore[union-attr]

    status, text = await get(f"{base}/metrics")
    assert status == 200
    assert 'mutual_interactions_total{command="about",outcome="ok"} 2.0' in text
    assert 'mutual_interactions_total{command="status",outcome="error"} 1.0' in text
    assert 'mutual_interaction_seconds_count{command="about"} 2.0' in text
    assert "mutual_discord_rate_limited_total 1.0" in text
    assert 'mutual_gateway_connected{shard="0"} 1.0' in text
    for name in ("mutual_send_queue_depth", "mutual_dispatcher_lag_seconds",
                 'mutual_prompt_posts{status="missed"}', 'mutual_scheduled_sends_total'):  # fmt: skip
        assert name in text
    for private in (str(alice.id), "alice", str(sandbox.guild.id)):
        assert private not in text
