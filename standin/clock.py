"""A clock the stand-in reads instead of the system clock.

Discord's time rules (the 3 second acknowledgement window, 15 minute interaction tokens, nonce
deduplication) are what the stand-in must enforce, and tests must be able to step over them
without sleeping. `Clock.advance` moves the stand-in's notion of "now" forward; real time keeps
flowing underneath so timers that really sleep still behave.
"""

from __future__ import annotations

import datetime as dt
import time


class Clock:
    """Wall-clock time plus an offset that tests can move forward."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Seconds since the Unix epoch, as the stand-in sees it."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Jump forward in time (tokens expire, windows close) without waiting."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._offset += seconds

    def iso(self) -> str:
        """The current time as Discord formats timestamps."""
        return iso_timestamp(self.now())


def iso_timestamp(epoch_seconds: float) -> str:
    """ISO 8601 with microseconds and a UTC offset, the way Discord writes timestamps."""
    moment = dt.datetime.fromtimestamp(epoch_seconds, tz=dt.UTC)
    return moment.isoformat(timespec="microseconds")
