"""Safety kinds: what a safety answer is about, from when it counts, and the note that answers it.

The thresholds live with the kind, so every item about self-harm routes to help from the same
answer; an item may only make itself more sensitive, never less.
"""

from __future__ import annotations

from typing import Any

from bot.content.fields import FieldReader
from bot.content.model import LINE_KINDS, MAX_ANSWER, SafetyKind

REQUIRED_KINDS = ("self-harm", "abuse", "crisis")
# The note is one embed: title, then what to do now, hope and who was told, each a paragraph.
NOTE_TEXT_MAX = 600


def read_safety_kinds(reader: FieldReader, data: dict[str, Any]) -> dict[str, SafetyKind]:
    kinds: dict[str, SafetyKind] = {}
    for path, table in reader.tables(data, "kind"):
        ident = reader.identifier(table, "id", path)
        lines = reader.text_list(table, "lines", path, max_len=20, max_items=len(LINE_KINDS))
        for line in lines:
            if line not in LINE_KINDS:
                reader.problem(f"{path}.lines", f"unknown line kind {line!r} ({LINE_KINDS})")
        kind = SafetyKind(
            id=ident,
            threshold=reader.integer(
                table, "threshold", path, low=1, high=MAX_ANSWER, default=None
            ),
            title=reader.text(table, "title", path, max_len=200),
            now=reader.text(table, "now", path, max_len=NOTE_TEXT_MAX),
            hope=reader.text(table, "hope", path, max_len=NOTE_TEXT_MAX),
            told=reader.text(table, "told", path, max_len=NOTE_TEXT_MAX),
            lines=lines,
        )
        if ident in kinds:
            reader.problem(f"{path}.id", f"duplicate safety kind {ident!r}")
        elif ident:
            kinds[ident] = kind
    for required in REQUIRED_KINDS:
        if required not in kinds:
            reader.problem("kind", f"the safety kind {required!r} is required")
    return kinds
