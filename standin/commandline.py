"""What a line typed into the sandbox console means.

The console reads lines that look like what a person does in the Discord client, so a newcomer
can guess them: `as alice: /selfcheck start instrument:healthy-dependence`, `click 2`,
`advance 1d`. Parsing is kept apart from running so every form can be tested without a bot.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

ACTIONS = {
    "language",
    "click",
    "select",
    "modal",
    "autocomplete",
    "advance",
    "channel",
    "expect",
    "commands",
    "help",
    "quit",
}
ALIASES = {
    "exit": "quit",
    "?": "help",
    "complete": "autocomplete",
    "show": "channel",
    "locale": "language",
}
UNITS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
PREFIX = re.compile(
    r"^as\s+(?P<person>[\w.-]+)(?:\s+in\s+(?P<where>[^:]+?))?\s*(?::\s*(?P<rest>.*))?$"
)
WHERE = re.compile(r"^in\s+(?P<where>[^:]+?)\s*(?::\s*(?P<rest>.*))?$")
OPTION = re.compile(r"(?:^|\s)([a-z][a-z0-9_-]*):(?!//)")
BOOLEAN, TRUE, FALSE = 5, {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


class ParseError(ValueError):
    """The line does not say anything the console understands; the message says why."""


@dataclass(frozen=True)
class Step:
    """One console line: who acts, where, and what they do (action "" only changes who/where)."""

    action: str
    argument: str = ""
    person: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class Slash:
    """A slash command as typed: the command path and its options by name, values as text."""

    command: str
    options: dict[str, str] = field(default_factory=dict)


def parse_line(line: str) -> Step | None:
    """A `Step`, or None for a blank line or a comment."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    person = where = None
    prefix = PREFIX.match(text)
    if prefix:
        person, where, text = prefix["person"], prefix["where"], (prefix["rest"] or "").strip()
    else:
        located = WHERE.match(text)
        if located:
            where, text = located["where"], (located["rest"] or "").strip()
    if where is not None:
        where = where.strip()
    if not text:
        return Step("", "", person, where)
    if text.startswith("/"):
        return Step("slash", text, person, where)
    word, _, argument = text.partition(" ")
    action = ALIASES.get(word.lower(), word.lower())
    if action not in ACTIONS:
        raise ParseError(f"I don't know {word!r}. Type `help` to see what you can do.")
    return Step(action, argument.strip(), person, where)


def parse_slash(text: str, known: Collection[str] | None = None) -> Slash:
    """`/learn search query:fear of being left` -> ("learn search", {"query": "fear of ..."}).

    With `known` (the command's declared option names) a value may itself contain `word:`,
    as in `when:tomorrow at 18:00 note:see: below`; the first option always starts the options."""
    body = text.strip().removeprefix("/").strip()
    if not body:
        raise ParseError("Type a command after the slash, for example /about.")
    found = list(OPTION.finditer(body))
    matches = [m for n, m in enumerate(found) if n == 0 or known is None or m.group(1) in known]
    head = body[: matches[0].start()] if matches else body
    options: dict[str, str] = {}
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(body)
        name = match.group(1)
        if name in options:
            raise ParseError(f"The option {name!r} is given twice.")
        options[name] = body[match.end() : end].strip()
    command = " ".join(head.split())
    if not command:
        raise ParseError("Type the command's name before its options.")
    return Slash(command, options)


def coerce_options(declared: list[dict[str, Any]], options: dict[str, str]) -> dict[str, Any]:
    """Typed text for booleans becomes a bool; everything else stays text for the stand-in,
    which converts numbers, channels, roles, members and choice labels like the client does."""
    kinds = {o.get("name"): o.get("type") for o in declared}
    out: dict[str, Any] = {}
    for name, value in options.items():
        if kinds.get(name) == BOOLEAN:
            lowered = value.lower()
            if lowered not in TRUE | FALSE:
                raise ParseError(f"{name} takes true or false, not {value!r}.")
            out[name] = lowered in TRUE
        else:
            out[name] = value
    return out


def parse_duration(text: str) -> timedelta:
    """`1d`, `3h`, `30m`, `1d12h`, `90s`, `2w`: how far to move the clock."""
    compact = text.replace(" ", "").lower()
    parts = re.fullmatch(r"(?:\d+(?:\.\d+)?[wdhms])+", compact)
    if not compact or parts is None:
        raise ParseError(f"{text!r} is not a duration; try 1d, 3h, 30m or 1d12h.")
    seconds = sum(
        float(amount) * UNITS[unit]
        for amount, unit in re.findall(r"(\d+(?:\.\d+)?)([wdhms])", compact)
    )
    if seconds <= 0:
        raise ParseError("Time only moves forward; give a duration above zero.")
    return timedelta(seconds=seconds)


def parse_modal(text: str) -> dict[str, str]:
    """`question=How do I start?; note=none` -> field values by custom_id or label."""
    answers: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ParseError(f"Write modal fields as name=value; got {part.strip()!r}.")
        answers[name.strip()] = value.strip()
    if not answers:
        raise ParseError("Give at least one field, for example: modal question=How do I start?")
    return answers


def parse_select(text: str) -> tuple[int, list[str]]:
    """`1 trust, boundaries` -> menu 1 with those values (or labels, or option numbers)."""
    number, _, rest = text.strip().partition(" ")
    if not number.isdigit() or not rest.strip():
        raise ParseError("Write: select <menu number> <option>[, <option> ...]")
    return int(number), [v.strip() for v in rest.split(",") if v.strip()]


def expand_dates(text: str, today: date) -> str:
    """`{today}`, `{tomorrow}` and `{today+3}` become dates (YYYY-MM-DD), so a script can
    schedule things relative to the sandbox clock, which starts at the real time."""

    def replace(match: re.Match[str]) -> str:
        days = 1 if match[1] == "tomorrow" else int(match[2] or 0)
        return (today + timedelta(days=days)).isoformat()

    return re.sub(r"\{(today|tomorrow)(?:\+(\d+))?\}", replace, text)
