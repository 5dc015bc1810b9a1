"""A self-check in progress, kept entirely in the custom ids of the message's buttons.

`sc:<code>:<started>:<owner>:<answers>:<action>` is at most ~60 characters (Discord allows 100):
- code: a short, stable code for the instrument (a hash of its id, so adding instruments never
  renumbers the others);
- started: minutes since the Unix epoch in base 36, the session's identity and its expiry clock;
- owner: the first 8 hex digits of the member's keyed hash, so nobody else's click advances it;
- answers: one character per item answered so far, 0-4, or '-' when skipped;
- action: what this button does.
Nothing is written per click, a restart loses nothing, and the same button always leads to the
same screen, which makes double clicks and old messages harmless.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache

from bot.content.model import Instrument
from bot.services.privacy import KeyedHasher

SESSION_SCOPE = "selfcheck-session"
SAVE_SCOPE = "selfcheck-save"
EXPIRES_AFTER_MINUTES = 60
SKIPPED = "-"
CUSTOM_ID_LIMIT = 100
OWNER_TAGS_KEPT = 4096

# Actions: 0-4 answer, s skip, b back, g begin/continue, x stop, r restart.
ACTIONS = "01234sbgxr"
SESSION_TEMPLATE = (
    r"sc:(?P<code>[0-9a-f]{6}):(?P<started>[0-9a-z]{1,9}):(?P<owner>[0-9a-f]{8}):"
    r"(?P<answers>[0-4-]{0,15}):(?P<action>[" + ACTIONS + r"])"
)
SAVE_TEMPLATE = (
    r"scs:(?P<code>[0-9a-f]{6}):(?P<started>[0-9a-z]{1,9}):(?P<owner>[0-9a-f]{8}):"
    r"(?P<scores>(?:[0-9a-z]{2}|--){1,15})"
)
_SESSION = re.compile(SESSION_TEMPLATE)
_SAVE = re.compile(SAVE_TEMPLATE)


class SessionError(ValueError):
    """A custom id that no longer matches the content (e.g. an instrument was removed)."""


@lru_cache(maxsize=1024)
def to_base36(value: int) -> str:
    """Remembered: every button of a screen carries its session's start minute, and a few
    minutes cover every check running at a time."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if value == 0:
        return "0"
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(digits[rem])
    return "".join(reversed(out))


def minutes_since_epoch(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def day_of_minute(minute: int) -> date:
    return datetime.fromtimestamp(minute * 60, UTC).date()


@lru_cache(maxsize=OWNER_TAGS_KEPT)
def owner_tag(hasher: KeyedHasher, user_id: int) -> str:
    """Checked on every click of a check: remembered (in memory only) rather than an HMAC
    on each click, since a member's tag never changes."""
    return hasher.key(SESSION_SCOPE, user_id)[:8]


def instrument_code(instrument_id: str) -> str:
    return hashlib.sha256(instrument_id.encode()).hexdigest()[:6]


class InstrumentCodes:
    """Instrument id <-> short code for the loaded content."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self._by_code: dict[str, Instrument] = {}
        for instrument in instruments:
            code = instrument_code(instrument.id)
            if code in self._by_code:
                raise ValueError(f"instrument codes collide: {instrument.id}")
            self._by_code[code] = instrument

    def instrument(self, code: str) -> Instrument:
        try:
            return self._by_code[code]
        except KeyError:
            raise SessionError(code) from None


@dataclass(frozen=True)
class Session:
    code: str
    started: int
    owner: str
    answers: str = ""

    @classmethod
    def new(cls, instrument: Instrument, now: datetime, owner: str) -> Session:
        return cls(instrument_code(instrument.id), minutes_since_epoch(now), owner, "")

    @property
    def position(self) -> int:
        return len(self.answers)

    def parsed(self) -> tuple[int | None, ...]:
        return tuple(None if ch == SKIPPED else int(ch) for ch in self.answers)

    def answer(self, value: int) -> Session:
        return Session(self.code, self.started, self.owner, self.answers + str(value))

    def skip(self) -> Session:
        return Session(self.code, self.started, self.owner, self.answers + SKIPPED)

    def back(self) -> Session:
        return Session(self.code, self.started, self.owner, self.answers[:-1])

    def restarted(self, now: datetime) -> Session:
        return Session(self.code, minutes_since_epoch(now), self.owner, "")

    def expired(self, now: datetime) -> bool:
        return minutes_since_epoch(now) - self.started > EXPIRES_AFTER_MINUTES

    def taken_on(self) -> date:
        return day_of_minute(self.started)

    @cached_property
    def _id_prefix(self) -> str:
        # A screen carries up to eight buttons of one session: build the shared part once.
        return f"sc:{self.code}:{to_base36(self.started)}:{self.owner}:{self.answers}:"

    def custom_id(self, action: str) -> str:
        if action not in ACTIONS or len(action) != 1:
            raise ValueError(f"unknown action {action!r}")
        return self._id_prefix + action

    def save_token(self, hasher: KeyedHasher, user_id: int, packed_scores: str) -> str:
        """The same result saved twice (a double click) yields the same token, while another
        check started in the same minute, with other answers, yields another; it reveals no
        time or id."""
        scope = f"{SAVE_SCOPE}\x1f{self.code}\x1f{self.started}\x1f{packed_scores}"
        return hasher.key(scope, user_id)[:32]


def parse_session(custom_id: str) -> tuple[Session, str]:
    match = _SESSION.fullmatch(custom_id)
    if match is None:
        raise SessionError(custom_id)
    return session_from_parts(match.groupdict())


def session_from_parts(parts: dict[str, str]) -> tuple[Session, str]:
    session = Session(parts["code"], int(parts["started"], 36), parts["owner"], parts["answers"])
    return session, parts["action"]


def encode_scores(instrument: Instrument, scores: dict[str, int]) -> str:
    out = []
    for dimension in instrument.dimensions:
        value = scores.get(dimension.id)
        out.append("--" if value is None else to_base36(max(0, min(100, value))).rjust(2, "0"))
    return "".join(out)


def decode_scores(instrument: Instrument, packed: str) -> dict[str, int]:
    chunks = [packed[i : i + 2] for i in range(0, len(packed), 2)]
    if len(chunks) != len(instrument.dimensions):
        raise SessionError("scores do not match the instrument")
    scores: dict[str, int] = {}
    for dimension, chunk in zip(instrument.dimensions, chunks, strict=True):
        if chunk == "--":
            continue
        value = int(chunk, 36)
        if not 0 <= value <= 100:
            raise SessionError("score out of range")
        scores[dimension.id] = value
    return scores


def save_custom_id(session: Session, instrument: Instrument, scores: dict[str, int]) -> str:
    return (
        f"scs:{session.code}:{to_base36(session.started)}:{session.owner}:"
        f"{encode_scores(instrument, scores)}"
    )


def parse_save(custom_id: str) -> tuple[Session, str]:
    match = _SAVE.fullmatch(custom_id)
    if match is None:
        raise SessionError(custom_id)
    return save_from_parts(match.groupdict())


def save_from_parts(parts: dict[str, str]) -> tuple[Session, str]:
    return Session(parts["code"], int(parts["started"], 36), parts["owner"]), parts["scores"]
