"""A paced queue for scheduled posts.

discord.py only reacts to 429s; it has no proactive global limit, and many invalid responses
in a short time earn a temporary ban. Everything the bot posts on its own goes through here: a
token bucket keeps the rate under the configured ceiling and a semaphore bounds how many requests
are in flight, so one slow server never holds up the others for long.

The bucket's burst is a twentieth of a second's worth of requests (at least one): over any second
a process sends at most 1.05 times its rate. Discord's 50/s is per token, shared by every process
of the bot, and the configured rates add up to 45/s at most, so the bursts of all processes
together must fit in the 5/s left over, with room to spare for requests the network delivers
unevenly. A burst of `concurrency` (16) requests, as before, let two processes at 22.5/s each
send 32 requests above their rate in their first seconds, and the global limit answered some of
them with 429s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

BURST_SECONDS = 0.05
"""How many seconds of the rate the bucket holds, so it sends at most 1 + this per second."""


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)


def burst_for(rate: float, concurrency: int) -> float:
    """The bucket's capacity: `BURST_SECONDS` of the rate, at least 1 (a request needs a whole
    token), at most the requests that can be in flight at once."""
    return max(1.0, min(rate * BURST_SECONDS, float(concurrency)))


class PacedSender:
    """Runs send jobs at most `rate` per second and `concurrency` at a time."""

    def __init__(self, rate: float, concurrency: int) -> None:
        self.bucket = TokenBucket(rate, burst=burst_for(rate, concurrency))
        self._semaphore = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self.outcomes: Counter[str] = Counter()  # "sent" / "failed", for /metrics

    def submit(self, name: str, job: Callable[[], Awaitable[None]]) -> asyncio.Task[None]:
        task = asyncio.create_task(self._run(name, job), name=f"send:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, name: str, job: Callable[[], Awaitable[None]]) -> None:
        async with self._semaphore:
            await self.bucket.acquire()
            try:
                await job()
            except Exception:
                self.outcomes["failed"] += 1
                log.exception("Scheduled send %s failed", name)
            else:
                self.outcomes["sent"] += 1

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every submitted job; used on shutdown and in tests."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
