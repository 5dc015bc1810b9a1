"""The discussions' `DueSource`: closes, openings and reminders read from the indexed table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.db import Database
from bot.db import discussions as repo
from bot.services.discussions.lifecycle import Discussions

# Question records of a closed discussion are kept this long, so a facilitator reading back can
# still block a pseudonym; then only blocks remain.
QUESTION_RETENTION = timedelta(days=7)

Submit = Callable[[str, Callable[[], Awaitable[None]]], Any]


class DiscussionTimers:
    name = "discussions"

    def __init__(self, discussions: Discussions, db: Database, submit: Submit) -> None:
        self.discussions = discussions
        self.db = db
        self.submit = submit

    async def next_due(self) -> datetime | None:
        return await self.discussions.next_due()

    async def run_due(self, now: datetime) -> None:
        await repo.forget_decided_before(self.db, now - QUESTION_RETENTION)
        for number, job in enumerate(await self.discussions.due_work(now)):
            self.submit(f"discussion-{number}", job)
