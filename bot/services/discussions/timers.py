"""The discussions' `DueSource`: closes, openings and reminders read from the indexed table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.db import Database
from bot.db import anonymous_questions as questions_repo
from bot.db import discussions as repo
from bot.services.discussions.lifecycle import Discussions

# Question records of a closed discussion are kept this long, so a facilitator reading back can
# still block a pseudonym; then only blocks remain.
QUESTION_RETENTION = timedelta(days=7)
# A scheduled opening still without a thread this long after its start was interrupted.
STUCK_OPENING = timedelta(minutes=15)

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
        await questions_repo.forget_decided_before(self.db, now - QUESTION_RETENTION)
        # Claimed here, in the tick; the Discord work runs in the paced sender.
        for row in await repo.claim_due_reminders(self.db, now):
            self.submit(f"discussion-remind-{row.id}", partial(self.discussions.remind, row))
        for row in await repo.claim_due_starts(self.db, now):
            self.submit(f"discussion-open-{row.id}", partial(self.discussions.open_scheduled, row))
        for row in await repo.due_to_close(self.db, now):
            self.submit(f"discussion-close-{row.id}", partial(self.discussions.close_due, row))
        for row in await repo.claim_stuck_openings(self.db, now - STUCK_OPENING):
            self.submit(f"discussion-stuck-{row.id}", partial(self.discussions.report_stuck, row))
