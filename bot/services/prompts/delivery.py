"""Sending a claimed prompt, and what becomes of its claim.

Claiming (dispatch.py) and start-up recovery (recovery.py) both end in a post to send; sending
is its own job, with its own failures: a passing one is retried after a while, a gone channel or
a missing permission pauses the schedule and tells the server's log channel, and a post Discord
accepted has its message id recorded, many at a time. A retry after Discord's nonce window
looks in the channel first, since a failed answer does not prove the message was not kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db import Storage, prompt_posts
from bot.db import prompts as repo
from bot.sending import requests_done
from bot.services.prompts import pauses
from bot.services.prompts.model import (
    ChannelGone,
    MissingAccess,
    Poster,
    PostError,
    PostJob,
    Submit,
    TemporaryFailure,
)

log = logging.getLogger(__name__)

RETRY_DELAYS = (5.0, 30.0, 120.0)
# Discord dedupes a repeated nonce for "a few minutes"; assume less, so we look rather than trust.
NONCE_WINDOW = timedelta(minutes=2)
# Our clock and Discord's may disagree a little; look a bit further back than the claim.
HISTORY_MARGIN = timedelta(minutes=1)


def pause_reason(error: ChannelGone | MissingAccess, channel_id: int) -> str:
    """Stored in English; `pauses.shown_reason` puts it in the reader's language."""
    if isinstance(error, ChannelGone):
        return pauses.CHANNEL_GONE.format(channel=f"<#{channel_id}>")
    return pauses.MISSING_PERMISSION.format(permission=error.permission, channel=f"<#{channel_id}>")


class PromptDelivery:
    """Sends claimed posts through `submit`, retries them, and records or fails their claims."""

    def __init__(
        self,
        db: Storage,
        poster: Poster,
        submit: Submit,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.poster = poster
        self.submit = submit
        self.retry_delays = tuple(retry_delays)
        # Discord's nonce window runs on real time, whatever clock the schedules use.
        self.wall_clock = wall_clock
        self._pending_records: list[tuple[int, int, str, str]] = []
        self._record_lock = asyncio.Lock()
        self._timers: set[asyncio.Task[None]] = set()

    def deliver(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> Any:
        async def run() -> None:
            await self.send(job, attempt, check_since=check_since, first_try=first_try)

        return self.submit(job.name, run)

    async def send(
        self,
        job: PostJob,
        attempt: int = 0,
        *,
        check_since: datetime | None = None,
        first_try: datetime | None = None,
    ) -> int | None:
        """One attempt; returns the message id, or None when it failed (and was handled).

        With `check_since`, a message of this post already in the channel is recorded instead.
        A retry that comes after the nonce window of the first try looks first as well: a failed
        answer (a 5xx, a timeout) does not prove Discord did not keep the message.
        """
        day = job.local_date.isoformat()
        started = self.wall_clock()
        first_try = started if first_try is None else first_try
        if check_since is None and attempt > 0 and started - first_try > NONCE_WINDOW:
            check_since = first_try - HISTORY_MARGIN
        try:
            found = await self._find_earlier(job, check_since) if check_since else None
            message_id = found or await self.poster.post(job)
        except (ChannelGone, MissingAccess) as error:
            await prompt_posts.set_post_status(
                self.db, job.guild_id, job.schedule_name, day, "failed"
            )
            await self.pause_for(job, pause_reason(error, job.channel_id))
            return None
        except TemporaryFailure as error:
            if attempt < len(self.retry_delays):
                delay = self.retry_delays[attempt]
                log.warning(
                    "Prompt for guild %s failed (%s); retrying in %.0f s",
                    job.guild_id,
                    error,
                    delay,
                )
                self._later(
                    delay,
                    lambda: self.deliver(
                        job, attempt + 1, check_since=check_since, first_try=first_try
                    ),
                )
            else:
                log.error(
                    "Prompt for guild %s failed %d times; giving up", job.guild_id, attempt + 1
                )
                await prompt_posts.set_post_status(
                    self.db, job.guild_id, job.schedule_name, day, "failed"
                )
            return None
        except PostError as error:
            log.error("Prompt for guild %s was refused: %s", job.guild_id, error)
            await prompt_posts.set_post_status(
                self.db, job.guild_id, job.schedule_name, day, "failed"
            )
            return None
        requests_done()  # the record is a database write: the next post need not wait for it
        await self._record(message_id, job, day)
        return message_id

    async def _find_earlier(self, job: PostJob, since: datetime) -> int | None:
        """A gone channel or a passing failure is handled like a failed send; a refused read
        (no Read Message History) must not stop the post, so it goes out unverified."""
        try:
            found = await self.poster.find_posted(job, since)
        except (ChannelGone, TemporaryFailure):
            raise
        except PostError as error:
            log.info(
                "Could not check guild %s's channel for an earlier %s prompt (%s); sending it "
                "without that check",
                job.guild_id, job.local_date, error,
            )  # fmt: skip
            return None
        if found is not None:
            log.info(
                "Guild %s's %s prompt was already up; recorded it", job.guild_id, job.local_date
            )
        return found

    async def pause_for(self, job: PostJob, reason: str) -> None:
        """Pause the schedule the job came from (a server's other schedules go on)."""
        guild_id = job.guild_id
        schedule = await repo.get_schedule(self.db, guild_id, job.schedule_name)
        if schedule is None:
            return
        await repo.pause_schedule(self.db, schedule.id, reason)
        log.warning("Paused daily prompts for guild %s: %s", guild_id, reason)
        if await repo.mark_pause_notified(self.db, schedule.id):
            try:
                await self.poster.notify(guild_id, pauses.NOTICE.format(reason=reason))
            except Exception:
                log.exception("Could not tell guild %s's log channel about the pause", guild_id)

    async def _record(self, message_id: int, job: PostJob, day: str) -> None:
        """Group commit: whoever gets the lock writes every id queued so far in one statement."""
        self._pending_records.append((message_id, job.guild_id, job.schedule_name, day))
        async with self._record_lock:
            if not self._pending_records:
                return
            rows, self._pending_records = self._pending_records, []
            await prompt_posts.record_sent(self.db, rows)

    def _later(self, delay: float, action: Callable[[], Any]) -> None:
        async def wait() -> None:
            await asyncio.sleep(delay)
            action()

        task = asyncio.create_task(wait())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def close(self) -> None:
        for task in list(self._timers):
            task.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
