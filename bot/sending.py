"""A paced queue for scheduled posts.

discord.py only reacts to 429s; it has no proactive global limit, and many invalid responses
in a short time earn a temporary ban. Everything the bot posts on its own goes through here: a
sliding window keeps the rate under the configured ceiling and a semaphore bounds how many
requests are in flight, so one slow server never holds up the others for long.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

log = logging.getLogger(__name__)


class SendWindow:
    """At most `limit` requests in any `window` seconds: `rate` per second, counted as Discord
    counts its global limit, over a window rather than as a steady drip.

    A token bucket with a small burst loses whatever the bot did not send while it was held up
    (a global 429's pause, a slow answer, a busy event loop): its tokens stop at the burst. A
    window keeps that budget until the window has moved past it, so the bot catches up within the
    same second, and any window of that length still holds at most `limit` requests, whichever
    way the server's own windows fall. `limit` is the rate rounded down (at least 1) and the
    window is at least one second, so no second ever holds more than the rate, however the
    requests bunch after a pause. That is what lets processes split the token's global 50/s by
    their rates: a fractional share (22.5 for each of two processes) sends 22 a second, and a
    window stretched below a second to keep 22.5 on average would let two catch-ups meet in
    one second at twice the rate.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.limit = max(1, math.floor(rate))
        self.window = max(1.0, self.limit / rate)
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                # The same sum as the pause below, so waking at it always frees a place.
                while self._sent and now >= self._sent[0] + self.window:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                await asyncio.sleep(self._sent[0] + self.window - now)


_slot: ContextVar[Callable[[], None] | None] = ContextVar("send_slot", default=None)


def requests_done() -> None:
    """Called by a job once it has made its last request: its place among the `concurrency`
    goes to the next job while it finishes its own bookkeeping (recording what it sent), which
    is a database write, not a request. Outside a job, nothing happens."""
    release = _slot.get()
    if release is not None:
        release()


class PacedSender:
    """Runs send jobs at most `rate` per second and `concurrency` at a time; a job that makes
    more than one request takes one more turn of `pacer` for each."""

    def __init__(self, rate: float, concurrency: int) -> None:
        self.pacer = SendWindow(rate)
        self._semaphore = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self.outcomes: Counter[str] = Counter()  # "sent" / "failed", for /metrics

    def submit(self, name: str, job: Callable[[], Awaitable[None]]) -> asyncio.Task[None]:
        task = asyncio.create_task(self._run(name, job), name=f"send:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, name: str, job: Callable[[], Awaitable[None]]) -> None:
        await self._semaphore.acquire()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self._semaphore.release()

        slot = _slot.set(release)
        try:
            await self.pacer.acquire()
            await job()
        except Exception:
            self.outcomes["failed"] += 1
            log.exception("Scheduled send %s failed", name)
        else:
            self.outcomes["sent"] += 1
        finally:
            release()
            _slot.reset(slot)

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
