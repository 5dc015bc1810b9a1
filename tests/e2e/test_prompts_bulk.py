"""A server's own prompts leave as a CSV file and come back the same way, all or nothing."""

from __future__ import annotations

import csv
import io

from bot.db import prompt_library
from standin.harness import Sandbox
from standin.state import Upload
from tests.e2e.helpers import bot_of

GOOD = (
    "text,topic,content_note\n"
    '"What does asking for help, even a little, feel like for you today?",,\n'
    "Who is someone you lean on without worrying about it?,TOPIC,\n"
    '"Think of a time you said no.\nHow did the other person take it?",,mentions conflict\n'
)


async def _own(sandbox: Sandbox) -> list[str]:
    found = await prompt_library.custom_for(bot_of(sandbox).db, [sandbox.guild.id])
    return [p.text for p in found.get(sandbox.guild.id, [])]


def _topic(sandbox: Sandbox) -> str:
    return next(iter(bot_of(sandbox).content.topics))


async def test_import_then_export_round_trips(sandbox: Sandbox) -> None:
    mod = sandbox.person("mod")
    upload = Upload("prompts.csv", GOOD.replace("TOPIC", _topic(sandbox)).encode())
    reply = await mod.slash("prompts import", file=upload)
    assert reply.ephemeral and "Imported 3 prompts" in reply.text, reply.text
    texts = await _own(sandbox)
    assert len(texts) == 3 and "said no.\nHow did" in texts[2]

    before = len(sandbox.standin.requests)
    exported = await mod.slash("prompts export")
    assert "3 prompts" in exported.text, exported.text
    sent = [r for r in sandbox.standin.requests[before:] if "mutual-prompts.csv" in r.files]
    assert len(sent) == 1
    rows = list(csv.reader(io.StringIO(sent[0].files["mutual-prompts.csv"].decode("utf-8-sig"))))
    assert rows[0] == ["text", "topic", "content_note"]
    assert rows[2][1] == _topic(sandbox) and rows[3][2] == "mentions conflict"

    # The exported file imports again as it is.
    again = await mod.slash(
        "prompts import", file=Upload("again.csv", sent[0].files["mutual-prompts.csv"])
    )
    assert "Imported 3 prompts" in again.text, again.text
    assert len(await _own(sandbox)) == 6


async def test_a_file_with_bad_lines_is_refused_whole_with_each_line_named(
    sandbox: Sandbox,
) -> None:
    mod = sandbox.person("mod")
    bad = (
        "Which small kindness did you receive this week?\n"
        "Too short\n"
        "Where do you end and others begin in your days?,no-such-topic\n"
        "A fine prompt about leaning on others wisely,,\n"
        "one,two,three,four\n"
    )
    reply = await mod.slash("prompts import", file=Upload("bad.csv", bad.encode()))
    text = reply.text
    assert reply.ephemeral and "Nothing was imported" in text and "3 problems" in text, text
    assert "Line 2: A prompt needs at least 10 characters" in text
    assert "Line 3: I don't know the topic “no-such-topic”" in text
    assert "Line 5: it has more than three columns" in text
    assert "Line 1" not in text and "Line 4" not in text
    assert await _own(sandbox) == []

    member = await sandbox.person("alice").slash("prompts export")
    assert "Imported" not in member.text
    sandbox.assert_no_failures()
