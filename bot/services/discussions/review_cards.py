"""The cards moderators read in the log channel about anonymous questions.

A question waiting for review gets a card, the card is settled with the outcome once someone
decides (or the discussion closes first), and a member's report of a relayed question gets a
card of its own. Cards are written in the server's language, like the posts. A card is a help
to moderators, never a condition of the question: one that cannot be posted or updated is
logged and the question goes on (reports then wait in /discuss queue).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.db import Storage
from bot.db import anonymous_questions as questions_repo
from bot.db import discussions as repo
from bot.db.anonymous_questions import QuestionRow
from bot.db.discussions import DiscussionRow
from bot.db.settings import get_settings
from bot.i18n import locale_scope
from bot.services.discussions.model import DiscussionPlatform, ReportCard, ReviewCard, ServerLocale

log = logging.getLogger(__name__)


class ReviewCards:
    def __init__(
        self, db: Storage, platform: DiscussionPlatform, server_locale: ServerLocale
    ) -> None:
        self.db = db
        self.platform = platform
        self.server_locale = server_locale

    async def post_review(
        self, guild_id: int, row: DiscussionRow, question_id: int, pseudonym: str, text: str
    ) -> bool:
        """The card of a question waiting for review; False when no card could be posted."""
        channel_id = (await get_settings(self.db, guild_id)).log_channel_id
        if channel_id is None or row.thread_id is None:
            return False
        card = ReviewCard(
            question_id, guild_id, row.title, row.thread_id, pseudonym, text,
            guide_id=row.guide_id, source_kind=row.source_kind, source_id=row.source_id,
        )  # fmt: skip
        try:
            message_id = await self.platform.post_review(channel_id, card)
        except Exception:
            log.warning("Could not post a review card in guild %s", guild_id)
            return False
        if message_id is None:
            return False
        await questions_repo.set_review_message(self.db, question_id, channel_id, message_id)
        return True

    async def settle(self, question: QuestionRow, outcome: Callable[[], str]) -> None:
        """The review card, in the log channel, says the outcome in the server's language."""
        if question.review_channel_id and question.review_message_id:
            with locale_scope(await self.server_locale(question.guild_id)):
                text = outcome()
            try:
                await self.platform.settle_review(
                    question.review_channel_id, question.review_message_id, text
                )
            except Exception:
                log.warning("Could not update a review card in guild %s", question.guild_id)

    async def post_report(
        self, guild_id: int, question: QuestionRow, reports: int, text: str
    ) -> None:
        """Tell the moderators of a report, when the server has a log channel."""
        channel_id = (await get_settings(self.db, guild_id)).log_channel_id
        if channel_id is None:
            return  # without a usable log channel, moderators find reports in /discuss queue
        card = await self.report_card(question, reports, text)
        try:
            with locale_scope(await self.server_locale(guild_id)):
                await self.platform.post_report(channel_id, card)
        except Exception:
            log.warning("Could not post a question report in guild %s", guild_id)

    async def report_card(self, question: QuestionRow, reports: int, text: str) -> ReportCard:
        """The card of a reported question; `text` is the relayed message as members saw it,
        empty for /discuss queue (the text is in the thread)."""
        row = await repo.get_discussion(self.db, question.discussion_id)
        thread_id = row.thread_id if row is not None and row.thread_id else 0
        return ReportCard(
            question.id, question.guild_id, thread_id, question.message_id, question.pseudonym,
            text, reports,
        )  # fmt: skip
