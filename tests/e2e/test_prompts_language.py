"""The daily post in the server's language, while each moderator's replies follow their own.

A bracketing catalog stands in for German: every text that went through the catalogs comes out
between ⟦ ⟧, so a text that did not is visible at once. The fixture's clock starts on Monday
1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.db import prompt_posts as repo
from bot.db.settings import update_settings
from bot.i18n import locale_scope
from standin.harness import Sandbox
from tests.bracketed import bracketed_catalog
from tests.e2e.helpers import bot_of, clock_of, run_timers


@pytest.fixture
def bracketed_german() -> Iterator[str]:
    with bracketed_catalog("de") as locale:
        yield locale


async def test_the_post_speaks_the_servers_language_and_keeps_its_marker(
    sandbox: Sandbox, bracketed_german: str
) -> None:
    bot = bot_of(sandbox)
    await update_settings(bot.db, sandbox.guild.id, language="de")
    mod = sandbox.person("mod")
    reply = await mod.slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    assert reply.text.startswith("Daily prompts are set."), reply.text  # the moderator's English
    clock_of(sandbox).advance(timedelta(hours=1, seconds=2))
    await run_timers(sandbox)

    [post] = sandbox.messages_in("reflections")
    embed = post.embeds[0]
    assert embed["title"] == "⟦Today's reflection⟧"
    footer = embed["footer"]["text"].splitlines()
    assert footer[-1] == "Daily reflection · 2026-06-01"  # never translated: found after a restart
    assert footer[-2] == "⟦Support, any time: /resources⟧"
    claim = await repo.get_post(bot.db, sandbox.guild.id, "2026-06-01")
    assert claim is not None
    with locale_scope("de"):
        words = bot.content.prompts[claim.prompt_key].text
    assert words != bot.content.prompts[claim.prompt_key].text  # the English one
    assert words.replace("||", "")[:40] in embed["description"].replace("||", "")
    [thread] = sandbox.threads_in("reflections")
    assert thread.name.startswith("⟦01 Juni⟧ · ")

    german_mod = sandbox.person("mod", locale="de")
    status = await german_mod.slash("prompts status")
    assert status.embed is not None and status.embed["title"] == "⟦Daily prompts⟧"
    days = next(f for f in status.embed["fields"] if f["name"] == "⟦Days⟧")["value"]
    assert days == "⟦every day⟧"
    reply = await german_mod.slash("prompts pause", until="3d")
    assert "⟦Paused by a moderator until ⟦Donnerstag 04 Juni 2026⟧.⟧" in reply.text
    english = await sandbox.person("mod", locale="en-US").slash("prompts status")
    assert english.embed is not None
    paused = next(f for f in english.embed["fields"] if f["name"] == "Paused")["value"]
    assert paused == "Paused by a moderator until Thursday 04 June 2026."
