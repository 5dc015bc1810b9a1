"""When each shard may IDENTIFY: Discord's `session_start_limit`, kept.

discord.py 2.x reads GET /gateway/bot for the shard count but drops its `session_start_limit`,
and its default `before_identify_hook` waits 5 s before every IDENTIFY but the first,
whatever the limits say. Discord's rules are: shards whose `shard_id % max_concurrency` is the
same share a bucket that allows one IDENTIFY per 5 s (so large bots start `max_concurrency`
shards at once), and `remaining` IDENTIFYs are left until `reset_after` ms from now, after
which the day's `total` is available again. A process starting 16 shards then waits only as
long as Discord requires, and a crash loop that used up the day's identifies waits for the
reset instead of being refused over and over.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

IDENTIFY_INTERVAL = 5.0


class IdentifyGate:
    """Spaces IDENTIFYs by `max_concurrency` bucket, and waits out an exhausted day's limit."""

    def __init__(
        self,
        limits: Mapping[str, Any] | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._now = now
        self._sleep = sleep
        self._last: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self.update(limits or {})

    def update(self, limits: Mapping[str, Any]) -> None:
        """Take a fresh `session_start_limit` (from GET /gateway/bot)."""
        self.max_concurrency = max(1, int(limits.get("max_concurrency") or 1))
        self.total = int(limits.get("total") or 1000)
        self.remaining = int(limits.get("remaining", self.total))
        self.reset_at = self._now() + int(limits.get("reset_after") or 0) / 1000

    def bucket(self, shard_id: int | None) -> int:
        return (shard_id or 0) % self.max_concurrency

    async def wait(self, shard_id: int | None) -> None:
        """Return when `shard_id` may IDENTIFY, and count that IDENTIFY."""
        key = self.bucket(shard_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if self.remaining <= 0:
                pause = max(0.0, self.reset_at - self._now())
                log.warning(
                    "Discord's session start limit is used up; shard %s identifies in %.0f s",
                    shard_id,
                    pause,
                )
                await self._sleep(pause)
                self.remaining = self.total
            last = self._last.get(key)
            if last is not None:
                pause = last + IDENTIFY_INTERVAL - self._now()
                if pause > 0:
                    await self._sleep(pause)
            self._last[key] = self._now()
            self.remaining -= 1
