"""How much of a long backlog one short transaction takes: sized by time, not by a row count.

A catch-up after an outage works through every schedule in transactions that other timers (a
discussion closing) wait behind. A fixed row count is too much on a slow or busy machine and
needlessly little on a fast one, and the first stretch, read from a cold cache, costs several
times what later ones do. `Stretches` measures how long each stretch took and sizes the next
so it takes about `target` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

TARGET_SECONDS = 0.025


class Stretches:
    """The size of the next stretch, from the pace of the ones before."""

    def __init__(
        self,
        first: int,
        most: int,
        *,
        least: int = 20,
        target: float = TARGET_SECONDS,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.most = max(1, most)
        self.least = min(least, self.most)
        self.size = max(self.least, min(first, self.most))
        self.target = target
        self._clock = clock
        self._started = 0.0

    def start(self) -> int:
        """Note the time; returns how many rows this stretch should take."""
        self._started = self._clock()
        return self.size

    def done(self, rows: int) -> None:
        """The stretch just ended with `rows` rows: size the next by the pace measured,
        halfway from the last size, so one slow stretch (a checkpoint beside it) does not
        swing it far."""
        took = self._clock() - self._started
        if rows <= 0 or took <= 0:
            return
        paced = rows * self.target / took
        self.size = max(self.least, min(self.most, int((self.size + paced) / 2)))
