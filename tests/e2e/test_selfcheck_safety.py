"""Safety through the stand-in: for every safety item of every instrument, the answer screen
shows that kind's note with the lines of the server's country, and the result opens with it and
reassures about nothing."""

from __future__ import annotations

from typing import Any

import pytest

from bot.content.model import ANSWER_LABELS, Instrument
from bot.db.settings import update_settings
from standin.harness import Sandbox
from standin.people import Reply
from tests.e2e.helpers import bot_of
from tests.e2e.selfcheck_support import begin, instrument_of, private

SAFETY_ITEMS = [
    (instrument_id, item_id)
    for instrument_id, item_id in (
        ("codependent-patterns", "abandonment-3"),
        ("codependent-patterns", "enabling-2"),
        ("codependent-patterns", "enabling-3"),
        ("healthy-dependence", "trust-3"),
    )
]


def flat(embeds: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for embed in embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [(embed.get("footer") or {}).get("text") or ""]
        for field in embed.get("fields") or []:
            parts += [field["name"], field["value"]]
    return "\n".join(parts)


def reassuring_texts(instrument: Instrument) -> list[str]:
    return [
        text
        for dimension in instrument.dimensions
        for band in dimension.bands
        if band.reassures
        for text in (band.feedback, band.next_step)
    ]


async def run(
    sandbox: Sandbox, instrument: Instrument, item_id: str, answer: int, others: str
) -> tuple[Reply, Reply]:
    """The answer that touched safety, and the result; every other item answered `others`."""
    alice = sandbox.person("alice")
    reply = await begin(alice, instrument.id)
    touched: Reply | None = None
    for item in instrument.items:
        label = ANSWER_LABELS[answer] if item.id == item_id else others
        reply = private(await alice.click(reply, label))
        if item.id == item_id:
            touched = reply
    assert touched is not None
    return touched, reply


def note_after(touched: Reply, instrument: Instrument, item_id: str) -> list[dict[str, Any]]:
    """The note shown right after the answer: a private followup under the next question, or,
    after the last question, the opening of the result itself."""
    if instrument.items[-1].id == item_id:
        assert touched.followups == []
        return touched.embeds
    [note] = touched.followups
    assert note.flags & 64
    return note.embeds


def test_the_list_names_every_safety_item(sandbox: Sandbox) -> None:
    content = bot_of(sandbox).content
    shipped = {
        (instrument.id, item.id)
        for instrument in content.instruments.values()
        for item in instrument.items
        if item.safety
    }
    assert shipped == set(SAFETY_ITEMS)


@pytest.mark.parametrize(("instrument_id", "item_id"), SAFETY_ITEMS)
async def test_a_safety_answer_brings_its_kinds_note_and_the_countrys_lines(
    sandbox: Sandbox, instrument_id: str, item_id: str
) -> None:
    bot = bot_of(sandbox)
    await update_settings(bot.db, sandbox.guild.id, country="GB")
    instrument = instrument_of(sandbox, instrument_id)
    item = next(i for i in instrument.items if i.id == item_id)
    assert item.safety is not None and item.safety_threshold is not None
    kind = bot.content.safety[item.safety]
    # Answers that would otherwise reassure: the most reassuring readings everywhere else.
    others = "Never" if instrument_id == "codependent-patterns" else "Always"
    touched, result = await run(sandbox, instrument, item_id, item.safety_threshold, others)

    note = note_after(touched, instrument, item_id)
    assert note[0]["title"] == kind.title
    shown = flat(note)
    assert kind.now in shown and kind.told in shown
    assert "United Kingdom" in shown
    first_line = note[0]["fields"][0]
    fits = bot.content.safety[item.safety].lines[0]
    gb = bot.content.resources.countries["GB"]
    assert first_line["name"].startswith(next(x.name for x in gb.lines if x.kind == fits))

    assert result.embeds[0]["title"] == kind.title, "the result opens with the safety note"
    everything = flat(result.embeds)
    for text in reassuring_texts(instrument):
        assert text not in everything, f"reassuring text shown beside a safety answer: {text}"
    if item.safety == "self-harm":
        assert "116 123" in everything
    sandbox.assert_no_failures()


async def test_below_the_threshold_no_note_and_readings_as_usual(sandbox: Sandbox) -> None:
    instrument = instrument_of(sandbox, "codependent-patterns")
    touched, result = await run(sandbox, instrument, "enabling-3", 1, "Never")
    assert touched.followups == []
    assert len(result.embeds) == 1
    assert any(text in flat(result.embeds) for text in reassuring_texts(instrument))


async def test_without_a_country_the_international_lines_are_shown(sandbox: Sandbox) -> None:
    bot = bot_of(sandbox)
    instrument = instrument_of(sandbox, "codependent-patterns")
    touched, result = await run(sandbox, instrument, "abandonment-3", 1, "Never")
    shown = flat(note_after(touched, instrument, "abandonment-3"))
    assert "116 123" not in shown
    for line in bot.content.resources.international:
        assert line.name in shown
    assert result.embeds[0]["title"] == bot.content.safety["self-harm"].title


async def test_two_kinds_share_one_note_with_the_lines_of_both(sandbox: Sandbox) -> None:
    bot = bot_of(sandbox)
    await update_settings(bot.db, sandbox.guild.id, country="US")
    alice = sandbox.person("alice")
    instrument = instrument_of(sandbox, "codependent-patterns")
    reply = await begin(alice, instrument.id)
    for item in instrument.items:
        reply = private(await alice.click(reply, "Often" if item.safety else "Never"))
    note = reply.embeds[0]
    text = flat([note])
    assert note["title"] == bot.content.safety["abuse"].title  # the first safety item asked
    assert bot.content.safety["self-harm"].title in text
    assert "988" in text
    us_abuse = next(x for x in bot.content.resources.countries["US"].lines if x.kind == "abuse")
    assert us_abuse.name in text
