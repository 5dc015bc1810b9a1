"""The discussions' `DueSource`: closes, openings and reminders read from the indexed table.

Its first run also finishes what a stop left half done (a relay posted but not recorded, an
opening without its thread, a close without its summary or lock). Those rows are noted before
the bot connects, so work that starts after the restart is never mistaken for them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.db import Storage
from bot.db import anonymous_questions as questions_repo
from bot.db import discussions as repo
from bot.db.anonymous_questions import QuestionRow
from bot.db.discussions import DiscussionRow
from bot.db.shards import ShardSet
from bot.services.discussions.lifecycle import Discussions
from bot.services.discussions.questions import AnonymousQuestions
from bot.services.discussions.timer_steps import TimerSteps

log = logging.getLogger(__name__)

# Question records of a closed discussion are kept this long, so a facilitator reading back can
# still block a pseudonym; then only blocks remain.
QUESTION_RETENTION = timedelta(days=7)
# A scheduled opening still without a thread this long after its start was interrupted.
STUCK_OPENING = timedelta(minutes=15)

Submit = Callable[[str, Callable[[], Awaitable[None]]], Any]


class DiscussionTimers:
    name = "discussions"

    def __init__(
        self,
        discussions: Discussions,
        db: Storage,
        submit: Submit,
        questions: AnonymousQuestions | None = None,
        shards: ShardSet | None = None,
    ) -> None:
        self.steps = TimerSteps(discussions)
        # This process's shards: it opens, closes and reminds only for their servers.
        self.shards = shards
        self.db = db
        self.submit = submit
        self.questions = questions
        self._relays: list[QuestionRow] = []
        self._discussions: list[DiscussionRow] = []

    async def note_interrupted(self) -> None:
        """Before connecting: the rows a previous run left in an intermediate state."""
        self._relays = await questions_repo.interrupted_relays(self.db, self.shards)
        self._discussions = await repo.interrupted(self.db, self.shards)

    async def _resume_interrupted(self) -> None:
        """Finished in the tick itself, before anything else can claim these rows."""
        relays, self._relays = self._relays, []
        rows, self._discussions = self._discussions, []
        for row in rows:
            try:
                await self.steps.resume_interrupted(row)
            except Exception:
                log.exception("Could not finish interrupted discussion %s", row.id)
        for question in relays:
            try:
                if self.questions is not None:
                    await self.questions.resume_relay(question)
            except Exception:
                log.exception("Could not finish interrupted relay %s", question.id)
        if rows or relays:
            log.info("Finished %d interrupted discussion step(s)", len(rows) + len(relays))

    async def next_due(self) -> datetime | None:
        return await repo.next_due(self.db, self.shards)

    async def run_due(self, now: datetime) -> None:
        await self._resume_interrupted()
        await questions_repo.forget_decided_before(self.db, now - QUESTION_RETENTION)
        # Claimed here, in the tick; the Discord work runs in the paced sender.
        for row in await repo.claim_due_reminders(self.db, now, self.shards):
            self.submit(f"discussion-remind-{row.id}", partial(self.steps.remind, row))
        for row in await repo.claim_due_starts(self.db, now, self.shards):
            self.submit(f"discussion-open-{row.id}", partial(self.steps.open_scheduled, row))
        for row in await repo.due_to_close(self.db, now, self.shards):
            self.submit(f"discussion-close-{row.id}", partial(self.steps.close_due, row))
        for row in await repo.claim_stuck_openings(self.db, now - STUCK_OPENING, self.shards):
            self.submit(f"discussion-stuck-{row.id}", partial(self.steps.report_stuck, row))
