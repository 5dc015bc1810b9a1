"""Helpers the /discuss and anonymous-question end-to-end tests share: start, ask, set the mode."""

from __future__ import annotations

from typing import Any

from standin.harness import Sandbox
from standin.people import Person, Reply
from standin.state import Channel


async def start(sandbox: Sandbox, **options: Any) -> Channel:
    reply = await sandbox.person("mod").slash("discuss start", **options)
    assert "is open in" in reply.text, reply.text
    where = options.get("channel", "general")
    return sandbox.threads_in(where)[-1]


async def ask(person: Person, thread: Channel, text: str) -> Reply:
    modal = await person.slash("ask", where=thread)
    assert modal.modal is not None, modal.text
    return await person.submit_modal(modal, {"question": text})


async def set_mode(sandbox: Sandbox, mode: str) -> None:
    reply = await sandbox.person("mod").slash("config anonymous-questions", mode=mode)
    assert "Anonymous questions" in reply.text
