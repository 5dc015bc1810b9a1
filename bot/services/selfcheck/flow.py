"""What a click leads to: a pure function of the session in the custom id, the action and time.

Because the next screen depends only on what the button carries, a double click renders the same
screen twice and a click on an old message simply continues from the state that message shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content.model import Instrument, Item
from bot.services.selfcheck.scoring import Result, is_safety_answer, score
from bot.services.selfcheck.session import Session


@dataclass(frozen=True)
class Intro:
    session: Session
    instrument: Instrument


@dataclass(frozen=True)
class Question:
    session: Session
    instrument: Instrument
    index: int
    item: Item
    previous: int | None
    """The answer given before the member went Back to this item, to highlight it."""
    safety_now: str | None = None
    """The safety kind of the answer just given, if it was a safety answer: show that kind's
    support before anything else."""

    @property
    def progress(self) -> str:
        return f"{self.index + 1}/{len(self.instrument.items)}"


@dataclass(frozen=True)
class Finished:
    session: Session
    instrument: Instrument
    result: Result
    safety_now: str | None = None


@dataclass(frozen=True)
class Stopped:
    instrument: Instrument


@dataclass(frozen=True)
class Expired:
    session: Session
    instrument: Instrument


Screen = Intro | Question | Finished | Stopped | Expired


def screen_for(
    session: Session,
    instrument: Instrument,
    *,
    previous: int | None = None,
    safety_now: str | None = None,
) -> Question | Finished:
    """The question at the session's position, or the result once every item has an answer."""
    count = len(instrument.items)
    if session.position >= count:
        session = Session(session.code, session.started, session.owner, session.answers[:count])
        return Finished(session, instrument, score(instrument, session.parsed()), safety_now)
    index = session.position
    return Question(session, instrument, index, instrument.items[index], previous, safety_now)


def advance(session: Session, action: str, instrument: Instrument, now: datetime) -> Screen:
    if action == "x":
        return Stopped(instrument)
    if action == "r":
        return screen_for(session.restarted(now), instrument)
    if session.expired(now):
        return Expired(session, instrument)
    if action == "g":
        return screen_for(session, instrument)
    if action == "b":
        if session.position == 0:
            return Intro(session, instrument)
        earlier = session.parsed()[-1]
        return screen_for(session.back(), instrument, previous=earlier)
    if session.position >= len(instrument.items):
        return screen_for(session, instrument)
    if action == "s":
        return screen_for(session.skip(), instrument)
    answer = int(action)
    item = instrument.items[session.position]
    return screen_for(
        session.answer(answer),
        instrument,
        safety_now=item.safety if is_safety_answer(item, answer) else None,
    )
