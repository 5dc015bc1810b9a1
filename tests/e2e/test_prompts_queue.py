"""Moderators queue prompts ahead of the rotation; the next posts take them in order, once.

The fixture's clock starts on Monday 1 June 2026 at 12:00 UTC (14:00 in Berlin).
"""

from __future__ import annotations

from datetime import timedelta

from bot.db import prompt_queue
from standin.harness import Sandbox
from standin.state import Upload
from tests.e2e.helpers import bot_of, clock_of, run_timers

OWN = "Who is someone you can lean on without keeping score?"


def _posted(sandbox: Sandbox) -> list[str]:
    return [m.embeds[0]["description"] for m in sandbox.messages_in("reflections")]


async def _next_day(sandbox: Sandbox, first: bool = False) -> None:
    clock_of(sandbox).advance(timedelta(hours=1, seconds=1) if first else timedelta(days=1))
    await run_timers(sandbox)
    await run_timers(sandbox)  # a second tick posts nothing more


async def test_queued_prompts_come_first_in_order_then_the_rotation(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    content = bot_of(sandbox).content
    imported = await mod.slash("prompts import", file=Upload("own.csv", f"{OWN}\n".encode()))
    assert "Imported 1 prompt" in imported.text, imported.text
    setup = await mod.slash(
        "prompts setup", channel="reflections", time="15:00", timezone="Europe/Berlin"
    )
    assert "Daily prompts are set" in setup.text, setup.text
    await _next_day(sandbox, first=True)
    first = _posted(sandbox)[0]

    empty = await mod.slash("prompts queue list")
    assert "Nothing is queued" in empty.text, empty.text
    offered = await mod.autocomplete("prompts queue add", "prompt", "lean on keeping")
    own = next(c for c in offered if OWN in c["name"])
    assert own["value"].startswith("c:")
    builtin = next(p for p in content.prompts.values() if p.text not in (first, OWN))
    words = " ".join(builtin.text.split()[:4])
    found = await mod.autocomplete("prompts queue add", "prompt", words)
    assert builtin.id in [c["value"] for c in found], found

    added = await mod.slash("prompts queue add", prompt=own["value"])
    assert "Queued at place 1" in added.text, added.text
    second = await mod.slash("prompts queue add", prompt=builtin.id)
    assert "Queued at place 2" in second.text, second.text
    twice = await mod.slash("prompts queue add", prompt=builtin.id)
    assert "already in the queue" in twice.text
    unknown = await mod.slash("prompts queue add", prompt="no-such-prompt")
    assert "don't know that prompt" in unknown.text
    listed = await mod.slash("prompts queue list")
    assert listed.text.index(OWN) < listed.text.index(builtin.text[:40]), listed.text
    refused = await sandbox.person("alice").slash("prompts queue add", prompt=builtin.id)
    assert "Queued" not in refused.text

    await _next_day(sandbox)
    await _next_day(sandbox)
    assert _posted(sandbox)[1:] == [OWN, builtin.text]
    assert await prompt_queue.queued_for(bot_of(sandbox).db, [sandbox.guild.id]) == {}
    await _next_day(sandbox)
    posted = _posted(sandbox)
    assert len(posted) == 4 and posted[3] not in posted[:3]


async def test_clearing_the_queue_leaves_the_rotation_as_it_was(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    builtin = next(iter(bot_of(sandbox).content.prompts.values()))
    await mod.slash("prompts queue add", prompt=builtin.id)
    cleared = await mod.slash("prompts queue clear")
    assert "Removed 1 prompt from the queue" in cleared.text, cleared.text
    again = await mod.slash("prompts queue clear")
    assert "Removed 0 prompts" in again.text
    sandbox.assert_no_failures()
