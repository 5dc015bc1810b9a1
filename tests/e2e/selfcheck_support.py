"""Helpers both /selfcheck end-to-end halves share: begin and answer a check, read the replies."""

from __future__ import annotations

import copy
import sqlite3
from typing import Any

from bot.content.model import Instrument
from standin.harness import Sandbox
from standin.people import Person, Reply
from standin.state import Message
from tests.e2e.helpers import bot_of


def instrument_of(sandbox: Sandbox, instrument_id: str) -> Instrument:
    return bot_of(sandbox).content.instruments[instrument_id]


def private(reply: Reply) -> Reply:
    """Every answer of this feature, and every followup it sends, is ephemeral."""
    assert reply.acknowledged, reply
    assert reply.type in (4, 6, 7), reply  # 6: a write acknowledged first, then the edit
    for message in reply.messages:
        assert message.flags & 64, (reply, message.content)
    return reply


def button(reply: Reply, label: str) -> dict[str, Any]:
    return next(
        component
        for row in reply.components
        for component in row["components"]
        if component.get("label") == label
    )


def stale(reply: Reply) -> Message:
    """A copy of the message as it is now: clicking it later is a click on an old message."""
    assert reply.message is not None
    return copy.deepcopy(reply.message)


def table_rows(sandbox: Sandbox, sql: str) -> list[tuple[Any, ...]]:
    database = sqlite3.connect(bot_of(sandbox).settings.database_path)
    try:
        return list(database.execute(sql))
    finally:
        database.close()


async def begin(person: Person, instrument_id: str, **where: Any) -> Reply:
    intro = private(await person.slash("selfcheck start", instrument=instrument_id, **where))
    assert "not a test or a diagnosis" in intro.text
    assert "your answers are never stored" in intro.text
    assert "anonymous daily count" in intro.text
    assert intro.labels() == ["Begin", "Not now"]
    return private(await person.click(intro, "Begin"))


async def answer_all(person: Person, reply: Reply, count: int, label: str = "Sometimes") -> Reply:
    for step in range(count):
        assert reply.embed is not None and reply.embed["title"].endswith(f"{step + 1}/{count}")
        reply = private(await person.click(reply, label))
    return reply
