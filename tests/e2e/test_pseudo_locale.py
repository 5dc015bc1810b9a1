"""Every screen in a pseudo-locale: any text that did not pass through the catalogs (or the
content translations) shows up as a word outside ⟪…⟫ and fails the test with the screen named."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.content import load_content
from bot.db.settings import update_settings
from bot.i18n.catalogs import add_catalog
from standin.harness import Sandbox
from standin.people import Reply, component_labels, message_text
from tests.e2e.conftest import make_mutual, test_settings
from tests.e2e.helpers import bot_of, clock_of, run_timers
from tests.e2e.pseudo_locale import PSEUDO, leftover, pseudo_catalog, pseudo_content_dir


@pytest.fixture
async def pseudo(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[Sandbox]:
    caplog.set_level(logging.INFO)
    add_catalog(PSEUDO, pseudo_catalog())
    content = load_content(pseudo_content_dir(tmp_path))
    settings = test_settings(tmp_path)
    bot = make_mutual(settings, clock)
    bot._preloaded_content = content
    async with Sandbox(bot) as running:
        sandbox_guild = running.guild
        await update_settings(bot.db, sandbox_guild.id, language=PSEUDO)
        yield running
        running.assert_no_failures()


def allowed_texts(sandbox: Sandbox, typed: list[str]) -> list[str]:
    content = bot_of(sandbox)._content
    assert content is not None
    texts = list(typed)
    for excerpt in content.excerpts.values():
        texts.append(excerpt.text)
    for source in content.sources.values():
        texts += [source.title, source.site or "", source.date or ""]
    for country in content.resources.countries.values():
        texts += [line.name for line in country.lines] + [country.code]
    texts += [line.name for line in content.resources.international]
    texts += [p.user.username.capitalize() for p in map(sandbox.person, ("alice", "bob", "mod"))]
    texts += ["Europe/Berlin", "Mutual", "UTC"]
    texts += [
        "Daily reflection"
    ]  # the post marker: the same in every language, found after a restart
    return [t.replace("**", "") for t in texts if t]


def check(
    sandbox: Sandbox, screen: str, found: Reply | Any, typed: list[str] | None = None
) -> None:
    messages = found.messages if isinstance(found, Reply) else [found]
    allowed = allowed_texts(sandbox, typed or [])
    for message in messages:
        text = message_text(message) + "\n" + "\n".join(component_labels(message.components))
        rest = leftover(text.replace("**", "").replace("||", ""), allowed)
        assert not rest, f"{screen}: not through the catalogs: {rest[:200]!r}\n---\n{text[:800]}"
    if isinstance(found, Reply) and found.modal is not None:
        modal = found.modal
        labels = [modal.get("title", "")] + [
            str(c.get("label") or c.get("component", {}).get("label") or "")
            for row in modal.get("components", [])
            for c in (row.get("components") or [row])
        ]
        rest = leftover("\n".join(labels), allowed)
        assert not rest, f"{screen} (form): {rest[:200]!r}"


async def test_every_screen_passes_through_the_catalogs(pseudo: Sandbox) -> None:
    member = pseudo.person("alice", locale=PSEUDO)
    mod = pseudo.person("mod", locale=PSEUDO)
    check(pseudo, "/about", await member.slash("about"))
    check(pseudo, "/resources", await member.slash("resources"))

    intro = await member.slash("selfcheck start", instrument="codependent-patterns")
    check(pseudo, "self-check intro", intro)
    reply = await member.click(intro, intro.components[0]["components"][0]["custom_id"])
    check(pseudo, "self-check question", reply)
    content = bot_of(pseudo)._content
    assert content is not None
    instrument = content.instruments["codependent-patterns"]
    for item in instrument.items:
        choice = 1 if item.safety == "self-harm" else 0
        button = reply.components[0]["components"][choice]["custom_id"]
        reply = await member.click(reply, button)
        check(pseudo, f"self-check after {item.id}", reply)
    result = reply
    for row in result.components:
        for component in row["components"]:
            if component.get("custom_id", "").startswith(("scs:", "scl:")):
                check(
                    pseudo,
                    "self-check result button",
                    await member.click(result, component["custom_id"]),
                )
    check(pseudo, "/selfcheck history", await member.slash("selfcheck history"))

    check(pseudo, "/learn topic", await member.slash("learn topic", topic="trust"))
    check(pseudo, "/learn sources", await member.slash("learn sources"))
    check(pseudo, "/mydata show", await member.slash("mydata show"))

    setup = await mod.slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    check(pseudo, "/prompts setup", setup)
    check(pseudo, "/prompts status", await mod.slash("prompts status"))
    check(pseudo, "/prompts preview", await mod.slash("prompts preview"))
    check(
        pseudo,
        "a refused time",
        await mod.slash(
            "prompts setup", channel="reflections", time="soon", timezone="Europe/Berlin"
        ),
        ["soon"],
    )
    clock_of(pseudo).advance(timedelta(hours=1, seconds=2))
    await run_timers(pseudo)
    for message in pseudo.messages_in("reflections"):
        check(pseudo, "the daily post", message)

    check(pseudo, "/config show", await mod.slash("config show"))
    opened = await mod.slash("discuss start", topic="trust")
    check(pseudo, "/discuss start", opened)
    for message in pseudo.messages_in("general"):
        check(pseudo, "the discussion opening", message)
    thread = pseudo.threads_in("general")[-1]
    question = "How do I start trusting again?"
    form = await member.slash("ask", where=thread)
    check(pseudo, "/ask", form)
    check(pseudo, "/ask sent", await member.submit_modal(form, {"question": question}), [question])
    queue = await mod.slash("discuss queue")
    check(pseudo, "/discuss queue", queue, [question])
    card = queue.messages[-1]
    approve = next(
        c["custom_id"]
        for row in card.components
        for c in row["components"]
        if c.get("custom_id", "").startswith("mutual:review:approve:")
    )
    check(pseudo, "approve", await mod.click(card, approve), [question])
    for message in pseudo.messages_in(thread):
        check(pseudo, "the relayed question", message, [question])
    check(pseudo, "/discuss list", await mod.slash("discuss list"))
    closed = await mod.slash("discuss close", discussion=1)
    check(pseudo, "/discuss close", closed)
    for message in pseudo.messages_in(thread):
        check(pseudo, "the closing summary", message, [question])
    check(pseudo, "/status", await mod.slash("status"))
    check(pseudo, "/insights", await mod.slash("insights"))
