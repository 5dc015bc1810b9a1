"""Discussions in the server's language: posts follow /config language, answers the member's.

For Spanish a bracketing catalog stands in, so every text that went through the catalogs comes
out between ⟦ ⟧; content (guide titles, questions, topic labels) comes in Spanish itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.content import Content
from standin.harness import Sandbox
from standin.people import message_text
from tests.bracketed import bracketed_catalog
from tests.e2e.discussions_support import ask, set_mode, start
from tests.e2e.helpers import bot_of, clock_of, run_timers
from tests.e2e.test_discussions import local


def content_in(sandbox: Sandbox, locale: str) -> Content:
    content = bot_of(sandbox)._content
    assert content is not None
    return content.for_locale(locale)


def trust_guides(content: Content) -> dict[str, str]:
    return {g.title: g.id for g in content.guides.values() if g.topic == "trust"}


@pytest.fixture
def bracketed_spanish() -> Iterator[str]:
    with bracketed_catalog("es-ES") as locale:
        yield locale


async def test_an_opening_is_written_in_the_servers_language(
    sandbox: Sandbox, bracketed_spanish: str
) -> None:
    mod = sandbox.person("mod")
    assert "Español" in (await mod.slash("config language", language=bracketed_spanish)).text
    await set_mode(sandbox, "direct")
    thread = await start(sandbox, topic="trust")  # the moderator's own client is in English
    spanish, english = content_in(sandbox, "es-ES"), content_in(sandbox, "en-US")
    assert thread.name in trust_guides(spanish) and thread.name not in trust_guides(english)
    guide = spanish.guides[trust_guides(spanish)[thread.name]]
    opening = next(m for m in sandbox.messages_in("general") if m.id == thread.id)
    assert opening.embeds[0]["title"] == thread.name
    assert guide.questions[0] in message_text(opening)
    assert spanish.topic_label("trust") in message_text(opening)
    fields = {f["name"]: f["value"] for f in opening.embeds[0]["fields"]}
    assert set(fields) >= {"⟦Questions to start with⟧", "⟦Ground rules⟧", "⟦Ask anonymously⟧"}
    assert fields["⟦Ground rules⟧"].startswith("⟦• Speak from your own experience")
    assert opening.embeds[0]["footer"]["text"].startswith("⟦Mutual is peer support")

    alice = sandbox.person("alice", locale="es-ES")
    asked = await ask(alice, thread, "Is it all right to {ask} this?")
    assert asked.text.startswith("⟦Sent to ") and "**⟦Anonymous member · " in asked.text
    [relayed] = [m for m in sandbox.messages_in(thread) if "asks:" in m.content]
    assert relayed.content.startswith("⟦**⟦Anonymous member · ")
    assert relayed.content.endswith("⟧\nIs it all right to {ask} this?")  # the member's words

    closed = await mod.slash("discuss close")
    assert closed.text.startswith("Closed “") and "the thread is locked" in closed.text
    summary = sandbox.messages_in(thread)[-1]
    assert summary.embeds[0]["title"] == f"⟦Discussion closed: {thread.name}⟧"


async def test_an_announcement_follows_a_language_changed_after_scheduling(
    sandbox: Sandbox,
) -> None:
    mod = sandbox.person("mod")
    clock = clock_of(sandbox)
    when = local(clock, timedelta(hours=1), "UTC")
    reply = await mod.slash("discuss schedule", when=when, timezone="UTC", topic="trust", remind=15)
    assert "Scheduled" in reply.text
    english = trust_guides(content_in(sandbox, "en-US"))
    announced = sandbox.messages_in("general")[-1]
    assert any(title in announced.embeds[0]["title"] for title in english)

    await mod.slash("config language", language="de")
    german = trust_guides(content_in(sandbox, "de"))
    clock.advance(timedelta(minutes=46))
    await run_timers(sandbox)
    reminder = sandbox.messages_in("general")[-1]
    assert any(title in reminder.embeds[0]["title"] for title in german)
    assert content_in(sandbox, "de").topic_label("trust") in message_text(reminder)
    clock.advance(timedelta(minutes=14))
    await run_timers(sandbox)
    [thread] = sandbox.threads_in("general")
    assert thread.name in german
