"""/selfcheck end to end: the real MutualBot through the Discord stand-in."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from bot.app import MutualBot
from bot.content.model import ANSWER_LABELS, Instrument
from standin.harness import Sandbox
from standin.people import Reply
from tests.e2e.helpers import bot_of, clock_of
from tests.e2e.selfcheck_support import (
    answer_all,
    begin,
    button,
    instrument_of,
    private,
    stale,
    table_rows,
)

EMBED_TOTAL = 6000


def embed_chars(embeds: list[dict[str, Any]]) -> int:
    """Characters as Discord counts them toward the 6,000 limit across a message's embeds."""
    total = 0
    for embed in embeds:
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields") or [])
    return total


def assert_result(reply: Reply, instrument: Instrument) -> None:
    assert reply.embed is not None
    result = reply.embeds[-1]
    assert result["title"] == f"Your reflection: {instrument.title}"
    names = [field["name"] for field in result["fields"]]
    for dimension in instrument.dimensions:
        assert dimension.name in names
    assert "not a test or a diagnosis" in reply.text and "/resources" in reply.text
    assert any("▰" in field["value"] or "▱" in field["value"] for field in result["fields"])
    assert all(len(field["value"]) <= 1024 for field in result["fields"])
    assert embed_chars(reply.embeds) <= EMBED_TOTAL
    assert reply.labels() == [
        "Save to my private history",
        "Change my last answer",
        "Start again",
        "Learn more",
    ]


# -- the flow ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instrument_id", ["codependent-patterns", "healthy-dependence", "give-and-take"]
)
async def test_a_full_check_with_each_instrument(sandbox: Sandbox, instrument_id: str) -> None:
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, instrument_id)
    question = await begin(alice, instrument_id)
    assert question.labels() == [*ANSWER_LABELS, "Back", "Skip", "Stop"]
    assert instrument.items[0].text in question.text
    result = await answer_all(alice, question, len(instrument.items), "Never")
    assert_result(result, instrument)
    assert result.embed is not None and len(result.embeds) == 1
    # Related passages from the excerpts feature, attributed, in place of the learn-more text.
    quoted = [f for f in result.embed["fields"] if f["name"].startswith("From “")]
    assert quoted and all(f["value"].startswith("“") for f in quoted)
    if instrument.balance is not None:
        assert "Give and take" in [field["name"] for field in result.embed["fields"]]  # type: ignore[index]
    # Nothing is kept without Save; the server's count has no identity.
    assert table_rows(sandbox, "SELECT * FROM selfcheck_history") == []
    assert table_rows(
        sandbox, "SELECT guild_id, instrument, completions FROM selfcheck_completions"
    ) == [(sandbox.guild.id, instrument_id, 1)]
    sandbox.assert_no_failures()


async def test_autocomplete_lists_the_instruments(sandbox: Sandbox) -> None:
    choices = await sandbox.person("alice").autocomplete("selfcheck start", "instrument", "give")
    assert [choice["value"] for choice in choices] == ["give-and-take"]
    unknown = private(await sandbox.person("alice").slash("selfcheck start", instrument="nope"))
    assert "pick one of the suggestions" in unknown.text


async def test_back_and_skip(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "give-and-take")
    count = len(instrument.items)
    first = await begin(alice, instrument.id)
    second = private(await alice.click(first, "Often"))
    assert second.embed is not None and second.embed["title"].endswith(f"2/{count}")
    back = private(await alice.click(second, "Back"))
    assert back.embed is not None and back.embed["title"].endswith(f"1/{count}")
    assert button(back, "Often")["style"] == 1 and button(back, "Never")["style"] == 2
    intro = private(await alice.click(back, "Back"))
    assert intro.labels() == ["Begin", "Not now"]
    reply = private(await alice.click(intro, "Begin"))
    for _ in range(count):
        reply = private(await alice.click(reply, "Skip"))
    assert f"{count} statements skipped" in reply.text
    assert "No reading" in reply.text
    assert button(reply, "Save to my private history")["disabled"] is True
    stopped = private(await alice.click(await begin(alice, instrument.id), "Stop"))
    assert "Nothing from it was kept" in stopped.text and stopped.components == []


async def test_a_double_click_or_an_old_message_does_the_right_thing(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "give-and-take")
    count = len(instrument.items)
    question = await begin(alice, instrument.id)
    before = stale(question)
    once = private(await alice.click(copy.deepcopy(before), "Often"))
    after_once = stale(once)
    twice = private(await alice.click(copy.deepcopy(before), "Often"))
    assert twice.embed is not None and twice.embed["title"].endswith(f"2/{count}")
    assert twice.components == after_once.components  # the same state, not a second answer
    reply = twice
    for _ in range(count - 2):
        reply = private(await alice.click(reply, "Rarely"))
    last = stale(reply)
    private(await alice.click(copy.deepcopy(last), "Always"))
    result = private(await alice.click(copy.deepcopy(last), "Always"))
    assert_result(result, instrument)
    # The result shown twice is counted once.
    assert table_rows(sandbox, "SELECT completions FROM selfcheck_completions") == [(1,)]


async def test_someone_elses_click_does_not_advance_a_check(sandbox: Sandbox) -> None:
    alice, bob = sandbox.person("alice"), sandbox.person("bob")
    question = await begin(alice, "give-and-take")
    intruder = private(await bob.click(stale(question), "Always"))
    assert intruder.type == 4 and "belongs to someone else" in intruder.text
    assert question.embed is not None and question.embed["title"].endswith("1/10")


async def test_a_check_left_for_over_an_hour_expires_and_restarts(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    question = private(await alice.click(await begin(alice, "give-and-take"), "Often"))
    clock_of(sandbox).advance(timedelta(minutes=61))
    expired = private(await alice.click(question, "Often"))
    assert "This check expired" in expired.text and expired.labels() == ["Start again"]
    again = private(await alice.click(expired, "Start again"))
    assert again.embed is not None and again.embed["title"].endswith("1/10")
    assert private(await alice.click(again, "Often")).embed["title"].endswith("2/10")  # type: ignore[index]


async def test_a_check_continues_after_the_bot_restarts(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "give-and-take")
    reply = await begin(alice, instrument.id)
    for _ in range(3):
        reply = private(await alice.click(reply, "Often"))
    message = reply.message
    assert message is not None
    first = bot_of(sandbox)
    settings, clock, content, world = (
        first.settings,
        clock_of(sandbox),
        first.content,
        sandbox.world,
    )
    await sandbox.stop()
    async with Sandbox(
        MutualBot(settings, clock=clock, content=content, start_timers=False), world=world
    ) as again:
        alice = again.person("alice")
        reply = private(await alice.click(message, "Often"))
        assert reply.embed is not None and reply.embed["title"].endswith("5/10")
        for _ in range(6):
            reply = private(await alice.click(reply, "Often"))
        assert_result(reply, instrument)
        saved = private(await alice.click(reply, "Save to my private history"))
        assert "Saved to your private history" in saved.content
        again.assert_no_failures()


async def test_feeling_unsafe_routes_to_support_in_direct_messages(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "healthy-dependence")
    unsafe = next(i for i, item in enumerate(instrument.items) if item.safety)
    intro = private(await alice.slash("selfcheck start", instrument=instrument.id, dm=True))
    reply = private(await alice.click(intro, "Begin"))
    for _ in range(unsafe):
        reply = private(await alice.click(reply, "Sometimes"))
    often = private(await alice.click(reply, "Often"))
    note = often.followups[0].embeds if often.followups else often.embeds
    assert note[0]["title"] == bot_of(sandbox).content.safety["abuse"].title
    # A check in direct messages is counted nowhere.
    assert table_rows(sandbox, "SELECT * FROM selfcheck_completions") == []
