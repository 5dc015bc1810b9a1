"""Fixtures for the stand-in's own tests: a sandbox running the tiny test bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from standin.harness import Sandbox
from tests.standin.testbot import make_bot


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A started sandbox with the test bot; fails the test if anything was left unrefused."""
    async with Sandbox(make_bot) as running:
        yield running
        running.assert_no_failures()
