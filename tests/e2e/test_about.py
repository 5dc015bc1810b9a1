"""/about and the shared error handler, through the real client and the stand-in."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.clock import FakeClock
from standin.harness import Sandbox
from tests.e2e.conftest import make_mutual, test_settings


async def test_about_answers_privately_with_the_privacy_promise(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("about")
    assert reply.ephemeral
    embed = reply.embed
    assert embed is not None and embed["title"] == "About Mutual"
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert "never stored or logged" in fields["Privacy"]
    assert "/resources" in fields["Care"]


async def test_about_works_in_direct_messages(sandbox: Sandbox) -> None:
    reply = await sandbox.person("bob").slash("about", dm=True)
    assert reply.ephemeral and reply.embed is not None


async def test_an_unexpected_error_gets_a_kind_answer_and_a_logged_error_id(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_mutual(test_settings(tmp_path), clock)

    @app_commands.command(name="explode", description="Fails on purpose")
    async def explode(interaction: discord.Interaction) -> None:
        raise RuntimeError("secret detail that members must not see")

    bot.tree.add_command(explode)
    caplog.set_level(logging.INFO)
    async with Sandbox(bot) as sandbox:
        reply = await sandbox.person("alice").slash("explode")
        assert reply.ephemeral
        assert "secret detail" not in reply.text
        match = re.search(r"error id: `([0-9a-f]{6})`", reply.text)
        assert match, reply.text
        logged = [
            r for r in caplog.records if r.name == "bot.errors" and match.group(1) in r.getMessage()
        ]
        assert logged and logged[0].exc_info is not None
        sandbox.assert_no_failures()
