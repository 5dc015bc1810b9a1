"""The real MutualBot, logged in to the Discord stand-in, on a throwaway database."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from bot.app import MutualBot
from bot.clock import FakeClock
from bot.config import DEFAULT_CONTENT_DIR, Settings
from bot.content import Content, load_content
from bot.content.loader import default_seeds_dir
from standin.harness import Sandbox

# A Monday, so weekday-sensitive tests have a fixed starting point.
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@cache
def shipped_content() -> Content:
    return load_content(DEFAULT_CONTENT_DIR, seeds_dir=default_seeds_dir(DEFAULT_CONTENT_DIR))


def test_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "token": "sandbox-token",
        "database_path": tmp_path / "mutual.db",
        "secret": b"test-secret-for-keyed-hashes-0001",
        "content_dir": DEFAULT_CONTENT_DIR,
        "dev_guild_id": None,
        "log_level": "DEBUG",
        "prompt_grace_hours": 6.0,
        "send_rate_per_second": 200.0,
        "send_concurrency": 8,
        "api_base": None,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


test_settings.__test__ = False  # type: ignore[attr-defined]


def make_mutual(settings: Settings, clock: FakeClock) -> MutualBot:
    return MutualBot(settings, clock=clock, content=shipped_content())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def sandbox(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Sandbox]:
    """A started sandbox running Mutual; fails the test on any refused request or crash."""
    caplog.set_level(logging.DEBUG)
    settings = test_settings(tmp_path)
    async with Sandbox(make_mutual(settings, clock)) as running:
        yield running
        running.assert_no_failures()
