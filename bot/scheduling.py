"""Timers: the database is the truth, APScheduler is only the alarm clock.

Each feature that has due work (daily prompts, discussions closing or opening) registers a
`DueSource` that reads its own indexed table. One alarm job wakes the dispatcher at the earliest
due time over all sources; after each run, and whenever a schedule changes, the alarm is re-armed.
Nothing lives only in memory, so a restart loses nothing: the first tick after start-up finds
whatever fell due while the bot was away.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock

log = logging.getLogger(__name__)

ALARM_JOB_ID = "mutual-dispatch"
# A safety net: even if a re-arm were missed, nothing waits longer than this.
MAX_SLEEP = timedelta(minutes=5)


class DueSource(Protocol):
    name: str

    async def next_due(self) -> datetime | None:
        """The earliest instant (UTC) this source has work, or None."""
        ...

    async def run_due(self, now: datetime) -> None:
        """Claim and start everything due at `now`; return promptly (hand long work off)."""
        ...


class Dispatcher:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._sources: list[DueSource] = []
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._busy: dict[str, asyncio.Lock] = {}
        self._running = False
        # For /healthz and /metrics (monotonic seconds): when the last tick ran, when the alarm
        # was meant to ring, and how late the last tick was against that.
        self.last_tick: float | None = None
        self._alarm_at: float | None = None
        self.lag_seconds = 0.0

    @property
    def sources(self) -> tuple[DueSource, ...]:
        return tuple(self._sources)

    def add_source(self, source: DueSource) -> None:
        """Register a source; one with the same name (a reloaded feature) is replaced."""
        self._sources = [s for s in self._sources if s.name != source.name]
        self._sources.append(source)

    def add_housekeeping(
        self, name: str, func: Callable[[], Awaitable[None]], every: timedelta
    ) -> None:
        self._scheduler.add_job(
            func,
            IntervalTrigger(seconds=every.total_seconds(), timezone=UTC),
            id=f"housekeeping-{name}",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def start(self) -> None:
        """Start the alarm clock; the first `tick` (which arms it) is the caller's to make."""
        if self._running:
            return
        self._scheduler.start()
        self._running = True

    async def stop(self) -> None:
        if self._running:
            self._scheduler.shutdown(wait=False)
            self._running = False

    async def tick(self) -> None:
        """Run everything that is due now, then sleep until the next due time.

        Sources run side by side, each under its own lock: a source working through a long
        backlog (every prompt after an outage, in chunks that each commit and let other database
        work in) never holds a discussion's closing back, and a second tick waits for the busy
        source rather than running it twice at once.
        """
        started = time.monotonic()
        if self._alarm_at is not None:
            self.lag_seconds = max(0.0, started - self._alarm_at)
        self.last_tick = started
        now = self.clock.now()
        await asyncio.gather(*(self._run(source, now) for source in self._sources))
        await self.rearm()

    async def _run(self, source: DueSource, now: datetime) -> None:
        async with self._busy.setdefault(source.name, asyncio.Lock()):
            try:
                await source.run_due(now)
            except Exception:
                log.exception("Timer source %s failed; it will be tried again", source.name)

    async def next_due(self) -> datetime | None:
        times: list[datetime] = []
        for source in self._sources:
            try:
                due = await source.next_due()
            except Exception:
                log.exception("Timer source %s could not tell its next due time", source.name)
                continue
            if due is not None:
                times.append(due)
        return min(times) if times else None

    async def rearm(self) -> None:
        """Point the single alarm at the earliest due time (or the safety interval)."""
        if not self._running:
            return
        due = await self.next_due()
        delay = MAX_SLEEP
        if due is not None:
            delay = min(max(due - self.clock.now(), timedelta(0)), MAX_SLEEP)
        run_at = datetime.now(UTC) + delay
        self._alarm_at = time.monotonic() + delay.total_seconds()
        self._scheduler.add_job(
            self.tick,
            DateTrigger(run_date=run_at, timezone=UTC),
            id=ALARM_JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
