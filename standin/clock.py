"""A clock the stand-in reads instead of the system clock.

Discord's time rules (the 3 second acknowledgement window, 15 minute interaction tokens, nonce
deduplication) are what the stand-in must enforce, and tests must be able to step over them
without sleeping. `Clock.advance` moves the stand-in's notion of "now" forward; real time keeps
flowing underneath so timers that really sleep still behave.

It reads time in the bot's units (an aware UTC datetime, as `bot.clock.Clock` promises), so a
test moves the bot's clock and Discord's by the same `timedelta`.
"""

from __future__ import annotations

import datetime as dt


class Clock:
    """Wall-clock time plus an offset that tests can move forward."""

    def __init__(self) -> None:
        self._offset = dt.timedelta()

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC, as the stand-in sees it."""
        return dt.datetime.now(dt.UTC) + self._offset

    def advance(self, delta: dt.timedelta) -> None:
        """Jump forward in time (tokens expire, windows close) without waiting."""
        if delta < dt.timedelta():
            raise ValueError("time only moves forward")
        self._offset += delta

    def iso(self) -> str:
        """The current time as Discord formats timestamps."""
        return iso_timestamp(self.now())


def iso_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 with microseconds and a UTC offset, the way Discord writes timestamps."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def seconds_between(earlier: dt.datetime, later: dt.datetime) -> float:
    return (later - earlier).total_seconds()
